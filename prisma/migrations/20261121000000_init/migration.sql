-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('editor', 'reviewer', 'auditor', 'admin');

-- CreateEnum
CREATE TYPE "ArticleStatus" AS ENUM ('mt_draft', 'in_edit', 'in_review', 'changes_requested', 'approved', 'exported', 'archived');

-- CreateEnum
CREATE TYPE "RevisionKind" AS ENUM ('import', 'mt_update', 'edit', 'restore', 'bulk_replace');

-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "displayName" VARCHAR(128) NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastLoginAt" TIMESTAMPTZ(3),
    "passwordChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" CHAR(64) NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(512),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "articles" (
    "id" SERIAL NOT NULL,
    "externalId" VARCHAR(256),
    "contentHash" CHAR(64) NOT NULL,
    "title" TEXT NOT NULL,
    "mtTitle" TEXT NOT NULL,
    "sourceTitle" TEXT,
    "status" "ArticleStatus" NOT NULL DEFAULT 'mt_draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "sourceLang" VARCHAR(16),
    "targetLang" VARCHAR(16),
    "publishedAt" TIMESTAMPTZ(3),
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "assigneeId" INTEGER,
    "importBatchId" INTEGER,
    "revisionCount" INTEGER NOT NULL DEFAULT 1,
    "approvedRevisionId" INTEGER,
    "approvedById" INTEGER,
    "approvedAt" TIMESTAMPTZ(3),
    "exportedAt" TIMESTAMPTZ(3),
    "mtWordCount" INTEGER NOT NULL DEFAULT 0,
    "wordCount" INTEGER NOT NULL DEFAULT 0,
    "editRate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "articles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paragraphs" (
    "id" SERIAL NOT NULL,
    "articleId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "mt" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "source" TEXT,

    CONSTRAINT "paragraphs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "revisions" (
    "id" SERIAL NOT NULL,
    "articleId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" "RevisionKind" NOT NULL,
    "authorId" INTEGER,
    "note" TEXT,
    "title" TEXT NOT NULL,
    "paragraphs" JSONB NOT NULL,
    "diffs" JSONB NOT NULL,
    "stats" JSONB NOT NULL,
    "editRate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "wordsInserted" INTEGER NOT NULL DEFAULT 0,
    "wordsDeleted" INTEGER NOT NULL DEFAULT 0,
    "wordsSubstituted" INTEGER NOT NULL DEFAULT 0,
    "restoredFromId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_changes" (
    "id" SERIAL NOT NULL,
    "articleId" INTEGER NOT NULL,
    "fromStatus" "ArticleStatus",
    "toStatus" "ArticleStatus" NOT NULL,
    "actorId" INTEGER,
    "note" TEXT,
    "revisionId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comments" (
    "id" SERIAL NOT NULL,
    "articleId" INTEGER NOT NULL,
    "paragraphIndex" INTEGER,
    "body" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "resolvedById" INTEGER,
    "resolvedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorName" VARCHAR(64) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "entity" VARCHAR(32) NOT NULL,
    "entityId" VARCHAR(64),
    "ip" VARCHAR(64),
    "data" JSONB NOT NULL DEFAULT '{}',
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_batches" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(256),
    "importerId" INTEGER,
    "actorName" VARCHAR(64) NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'running',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "fileCount" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "conflicts" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "files" JSONB NOT NULL DEFAULT '[]',
    "failures" JSONB NOT NULL DEFAULT '[]',
    "options" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "import_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_batches" (
    "id" SERIAL NOT NULL,
    "exporterId" INTEGER,
    "actorName" VARCHAR(64) NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'running',
    "format" VARCHAR(16) NOT NULL,
    "outDir" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "articleCount" INTEGER NOT NULL DEFAULT 0,
    "manifestSha256" CHAR(64),
    "options" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "export_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_items" (
    "id" SERIAL NOT NULL,
    "batchId" INTEGER NOT NULL,
    "articleId" INTEGER NOT NULL,
    "revisionId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,

    CONSTRAINT "export_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "glossary_entries" (
    "id" SERIAL NOT NULL,
    "term" VARCHAR(256) NOT NULL,
    "preferred" VARCHAR(256) NOT NULL,
    "forbidden" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "sourceTerm" VARCHAR(256),
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "glossary_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE INDEX "users_role_idx" ON "users"("role");

-- CreateIndex
CREATE INDEX "users_disabled_idx" ON "users"("disabled");

-- CreateIndex
CREATE INDEX "users_createdAt_idx" ON "users"("createdAt");

-- CreateIndex
CREATE INDEX "users_displayName_idx" ON "users"("displayName");

-- CreateIndex
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");

-- CreateIndex
CREATE INDEX "sessions_lastSeenAt_idx" ON "sessions"("lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "articles_externalId_key" ON "articles"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "articles_contentHash_key" ON "articles"("contentHash");

-- CreateIndex
CREATE UNIQUE INDEX "articles_approvedRevisionId_key" ON "articles"("approvedRevisionId");

-- CreateIndex
CREATE INDEX "articles_status_updatedAt_idx" ON "articles"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "articles_assigneeId_status_idx" ON "articles"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "articles_importBatchId_idx" ON "articles"("importBatchId");

-- CreateIndex
CREATE INDEX "articles_updatedAt_idx" ON "articles"("updatedAt");

-- CreateIndex
CREATE INDEX "articles_createdAt_idx" ON "articles"("createdAt");

-- CreateIndex
CREATE INDEX "articles_title_idx" ON "articles"("title");

-- CreateIndex
CREATE INDEX "articles_editRate_idx" ON "articles"("editRate");

-- CreateIndex
CREATE INDEX "articles_publishedAt_idx" ON "articles"("publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "paragraphs_articleId_position_key" ON "paragraphs"("articleId", "position");

-- CreateIndex
CREATE INDEX "revisions_authorId_idx" ON "revisions"("authorId");

-- CreateIndex
CREATE INDEX "revisions_createdAt_idx" ON "revisions"("createdAt");

-- CreateIndex
CREATE INDEX "revisions_kind_idx" ON "revisions"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "revisions_articleId_number_key" ON "revisions"("articleId", "number");

-- CreateIndex
CREATE INDEX "status_changes_articleId_createdAt_idx" ON "status_changes"("articleId", "createdAt");

-- CreateIndex
CREATE INDEX "status_changes_actorId_idx" ON "status_changes"("actorId");

-- CreateIndex
CREATE INDEX "status_changes_toStatus_idx" ON "status_changes"("toStatus");

-- CreateIndex
CREATE INDEX "status_changes_createdAt_idx" ON "status_changes"("createdAt");

-- CreateIndex
CREATE INDEX "comments_articleId_resolved_idx" ON "comments"("articleId", "resolved");

-- CreateIndex
CREATE INDEX "comments_authorId_idx" ON "comments"("authorId");

-- CreateIndex
CREATE INDEX "comments_createdAt_idx" ON "comments"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE INDEX "audit_events_actorId_at_idx" ON "audit_events"("actorId", "at");

-- CreateIndex
CREATE INDEX "audit_events_action_at_idx" ON "audit_events"("action", "at");

-- CreateIndex
CREATE INDEX "audit_events_entity_entityId_idx" ON "audit_events"("entity", "entityId");

-- CreateIndex
CREATE INDEX "import_batches_startedAt_idx" ON "import_batches"("startedAt");

-- CreateIndex
CREATE INDEX "import_batches_importerId_idx" ON "import_batches"("importerId");

-- CreateIndex
CREATE INDEX "import_batches_status_idx" ON "import_batches"("status");

-- CreateIndex
CREATE INDEX "export_batches_startedAt_idx" ON "export_batches"("startedAt");

-- CreateIndex
CREATE INDEX "export_batches_exporterId_idx" ON "export_batches"("exporterId");

-- CreateIndex
CREATE INDEX "export_batches_status_idx" ON "export_batches"("status");

-- CreateIndex
CREATE INDEX "export_items_articleId_idx" ON "export_items"("articleId");

-- CreateIndex
CREATE UNIQUE INDEX "export_items_batchId_articleId_key" ON "export_items"("batchId", "articleId");

-- CreateIndex
CREATE UNIQUE INDEX "glossary_entries_term_key" ON "glossary_entries"("term");

-- CreateIndex
CREATE INDEX "glossary_entries_sourceTerm_idx" ON "glossary_entries"("sourceTerm");

-- CreateIndex
CREATE INDEX "glossary_entries_updatedAt_idx" ON "glossary_entries"("updatedAt");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "articles" ADD CONSTRAINT "articles_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "articles" ADD CONSTRAINT "articles_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "articles" ADD CONSTRAINT "articles_importBatchId_fkey" FOREIGN KEY ("importBatchId") REFERENCES "import_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "articles" ADD CONSTRAINT "articles_approvedRevisionId_fkey" FOREIGN KEY ("approvedRevisionId") REFERENCES "revisions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_changes" ADD CONSTRAINT "status_changes_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "revisions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_importerId_fkey" FOREIGN KEY ("importerId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_batches" ADD CONSTRAINT "export_batches_exporterId_fkey" FOREIGN KEY ("exporterId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "export_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_items" ADD CONSTRAINT "export_items_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "revisions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "glossary_entries" ADD CONSTRAINT "glossary_entries_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Hand-written: full-text search over the title and current text of an
-- article (the q filter of GET /api/articles). Prisma cannot express an
-- expression index, so tests/api/migrations.test.ts knows this one by name.
CREATE INDEX "articles_search_fts" ON "articles" USING GIN (to_tsvector('english', "searchText"));
