-- AlterTable
ALTER TABLE "paragraphs" ADD COLUMN     "codes" JSONB,
ADD COLUMN     "meta" JSONB;

