-- Full-text search reads a stored tsvector instead of an expression index.
--
-- The index on to_tsvector('english', "searchText") was recomputed for every
-- new row version of an article, including updates that never touch the
-- text: an export's `SET status = 'exported'` re-parsed ~8 KB of text per
-- article (28 of 45 seconds of a 10,000-article export). PostgreSQL does not
-- recompute a stored generated column whose inputs are unchanged, so such
-- updates now copy the vector; saves and imports, which change the text, pay
-- the same parse as before.
--
-- The column is hand-written (Prisma's schema language cannot declare a
-- generated column) and Prisma never reads or writes it; the list's q filter
-- reads it in SQL (server/services/articles.ts).
ALTER TABLE "articles"
  ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "searchText")) STORED;

DROP INDEX "articles_search_fts";

CREATE INDEX "articles_search_fts" ON "articles" USING GIN ("searchVector");
