-- CreateTable
CREATE TABLE "article_search" (
    "articleId" INTEGER NOT NULL,
    "vector" tsvector NOT NULL,

    CONSTRAINT "article_search_pkey" PRIMARY KEY ("articleId")
);

-- AddForeignKey
ALTER TABLE "article_search" ADD CONSTRAINT "article_search_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the search document moves out of the articles row.
--
-- A stored generated column lives in the row, so every new row version (an
-- export's approved → exported, an approval, an assignment) inserted an entry
-- per lexeme into the GIN index: ~60 % of a status update's WAL. In its own
-- table the vector is written only when "searchText" changes, by the triggers
-- below, so every writer (import, save, bulk replace, revert, seeds) stays
-- correct without knowing about it. They run with the caller's rights: the
-- application role writes every ordinary table (server/db/roles.ts).

-- Backfill from the stored column, so no text is parsed again.
INSERT INTO "article_search" ("articleId", "vector")
SELECT "id", "searchVector" FROM "articles";

-- Drops the column's GIN index articles_search_fts with it.
ALTER TABLE "articles" DROP COLUMN "searchVector";

CREATE INDEX "article_search_fts" ON "article_search" USING GIN ("vector");

CREATE FUNCTION "article_search_sync"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO "article_search" ("articleId", "vector")
  VALUES (NEW."id", to_tsvector('english'::regconfig, NEW."searchText"))
  ON CONFLICT ("articleId") DO UPDATE SET "vector" = EXCLUDED."vector";
  RETURN NULL;
END
$$;

-- Inserts are set-based (an import file's articles in one statement): one
-- statement-level trigger writes their search rows in one INSERT … SELECT.
CREATE FUNCTION "article_search_insert_rows"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO "article_search" ("articleId", "vector")
  SELECT "id", to_tsvector('english'::regconfig, "searchText") FROM "inserted_articles"
  ON CONFLICT ("articleId") DO UPDATE SET "vector" = EXCLUDED."vector";
  RETURN NULL;
END
$$;

CREATE TRIGGER "articles_search_insert" AFTER INSERT ON "articles"
  REFERENCING NEW TABLE AS "inserted_articles"
  FOR EACH STATEMENT EXECUTE FUNCTION "article_search_insert_rows"();

-- Saves set "searchText" even when only the status changes; the WHEN clause
-- skips the parse when the text is the same.
CREATE TRIGGER "articles_search_update" AFTER UPDATE OF "searchText" ON "articles"
  FOR EACH ROW WHEN (OLD."searchText" IS DISTINCT FROM NEW."searchText")
  EXECUTE FUNCTION "article_search_sync"();
