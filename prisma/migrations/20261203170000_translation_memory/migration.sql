-- CreateTable
CREATE TABLE "tm_segments" (
    "articleId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "revisionId" INTEGER NOT NULL,
    "sourceLang" VARCHAR(16),
    "targetLang" VARCHAR(16),
    "mt" TEXT NOT NULL,
    "source" TEXT,
    "approved" TEXT NOT NULL,

    CONSTRAINT "tm_segments_pkey" PRIMARY KEY ("articleId","position")
);

-- CreateIndex
CREATE INDEX "tm_segments_revisionId_idx" ON "tm_segments"("revisionId");

-- AddForeignKey
ALTER TABLE "tm_segments" ADD CONSTRAINT "tm_segments_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tm_segments" ADD CONSTRAINT "tm_segments_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "revisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (tests/api/migrations.test.ts, HAND_WRITTEN): trigram indexes for
-- fuzzy translation-memory lookups on the MT and for concordance search
-- (ILIKE '%phrase%') on both sides. pg_trgm ships with PostgreSQL's contrib
-- modules and is a trusted extension, so the database owner can create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "tm_segments_mt_trgm" ON "tm_segments" USING GIN ("mt" gin_trgm_ops);
CREATE INDEX "tm_segments_approved_trgm" ON "tm_segments" USING GIN ("approved" gin_trgm_ops);

-- Articles approved before this migration join the memory with their pinned
-- approved revision (the same rows server/services/tm.ts writes on approval).
INSERT INTO "tm_segments" ("articleId", "position", "revisionId", "sourceLang", "targetLang", "mt", "source", "approved")
SELECT a.id, p.position, r.id, a."sourceLang", a."targetLang", p.mt, p.source, t.text
  FROM "articles" a
  JOIN "revisions" r ON r.id = a."approvedRevisionId"
  CROSS JOIN LATERAL jsonb_array_elements_text(r.paragraphs) WITH ORDINALITY AS t(text, n)
  JOIN "paragraphs" p ON p."articleId" = a.id AND p.position = t.n - 1
 WHERE a.status IN ('approved', 'exported') AND btrim(p.mt) <> '' AND btrim(t.text) <> '';
