-- AlterEnum
ALTER TYPE "RevisionKind" ADD VALUE 'review';
