-- CreateTable
CREATE TABLE "revision_corrections" (
    "id" SERIAL NOT NULL,
    "revisionId" INTEGER NOT NULL,
    "auditEventId" BIGINT NOT NULL,
    "before" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "revision_corrections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "maintenance_tasks" (
    "name" VARCHAR(64) NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMPTZ(3),
    "auditEventId" BIGINT,

    CONSTRAINT "maintenance_tasks_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "revision_corrections_revisionId_idx" ON "revision_corrections"("revisionId");

-- AddForeignKey
ALTER TABLE "revision_corrections" ADD CONSTRAINT "revision_corrections_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "revisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Revisions saved before diffs were bounded by work instead of wall-clock time
-- may hold paragraphs recorded as whole replacements (truncated) only because
-- the machine was busy. Recomputing them runs the TypeScript diff, which SQL
-- cannot: this asks `npm start` (or `npm run maintenance -- recompute-stats`)
-- to do it, once. See docs/maintenance.md.
INSERT INTO "maintenance_tasks" ("name") VALUES ('recompute-revision-stats') ON CONFLICT DO NOTHING;
