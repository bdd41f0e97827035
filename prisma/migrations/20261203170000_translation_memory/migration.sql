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
    "anchors" INTEGER[],

    CONSTRAINT "tm_segments_pkey" PRIMARY KEY ("articleId","position")
);

-- CreateIndex
CREATE INDEX "tm_segments_revisionId_idx" ON "tm_segments"("revisionId");

-- CreateIndex
CREATE INDEX "tm_segments_anchors_idx" ON "tm_segments" USING GIN ("anchors");

-- AddForeignKey
ALTER TABLE "tm_segments" ADD CONSTRAINT "tm_segments_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tm_segments" ADD CONSTRAINT "tm_segments_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "revisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (tests/api/migrations.test.ts, HAND_WRITTEN) from here on.

-- The anchors of a text for fuzzy translation-memory lookup: a 32-bit hash of
-- each distinct run of three words (lower-cased, split at anything that is not
-- a letter or digit), or of the whole text when it has fewer than three words.
-- Two paragraphs are candidate matches when they share an anchor, which the GIN
-- index on tm_segments.anchors answers from the few rows holding the looked-up
-- paragraph's word runs; ranking is done in the application (server/policy/tmMatch.ts).
-- md5 rather than hashtext: its value is fixed across PostgreSQL versions, so
-- anchors stored by one server match those computed by the next.
CREATE FUNCTION tm_anchors(t text) RETURNS int[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  WITH w AS (SELECT array_remove(regexp_split_to_array(lower(t), '[^[:alnum:]]+'), '') AS words)
  SELECT CASE
           WHEN cardinality(words) = 0 THEN '{}'::int[]
           WHEN cardinality(words) < 3 THEN ARRAY[('x' || left(md5(array_to_string(words, ' ')), 8))::bit(32)::int]
           ELSE ARRAY(SELECT DISTINCT ('x' || left(md5(words[i] || ' ' || words[i + 1] || ' ' || words[i + 2]), 8))::bit(32)::int
                        FROM generate_series(1, cardinality(words) - 2) AS i)
         END
    FROM w
$$;

-- Trigram indexes for concordance search (ILIKE '%phrase%') on both sides.
-- pg_trgm ships with PostgreSQL's contrib modules and is a trusted extension,
-- so the database owner can create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "tm_segments_mt_trgm" ON "tm_segments" USING GIN ("mt" gin_trgm_ops);
CREATE INDEX "tm_segments_approved_trgm" ON "tm_segments" USING GIN ("approved" gin_trgm_ops);

-- Articles approved before this migration join the memory with their pinned
-- approved revision (the rows server/services/tm.ts writes on approval).
INSERT INTO "tm_segments" ("articleId", "position", "revisionId", "sourceLang", "targetLang", "mt", "source", "approved", "anchors")
SELECT a.id, p.position, r.id, a."sourceLang", a."targetLang", p.mt, p.source, t.text, tm_anchors(p.mt)
  FROM "articles" a
  JOIN "revisions" r ON r.id = a."approvedRevisionId"
  CROSS JOIN LATERAL jsonb_array_elements_text(r.paragraphs) WITH ORDINALITY AS t(text, n)
  JOIN "paragraphs" p ON p."articleId" = a.id AND p.position = t.n - 1
 WHERE a.status IN ('approved', 'exported') AND btrim(p.mt) <> '' AND btrim(t.text) <> '';
