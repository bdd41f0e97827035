-- AlterTable
ALTER TABLE "revisions" ADD COLUMN     "articleVersion" INTEGER NOT NULL DEFAULT 1;

