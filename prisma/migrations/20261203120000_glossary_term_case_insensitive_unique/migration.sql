-- Glossary terms are unique case-insensitively. The service's own check
-- (a SELECT before the INSERT) lost races between parallel requests, so the
-- database enforces it: a unique index on lower(term). The service maps its
-- violation to a 409 naming the term.
--
-- Existing duplicates (terms equal but for case, possible only through that
-- race) would make CREATE UNIQUE INDEX fail with a bare "could not create
-- unique index". They are not merged automatically: each entry may carry its
-- own preferred spelling, forbidden variants and note, and choosing between
-- them is an editorial decision. The migration stops instead, naming every
-- duplicate, and changes nothing; merge or delete them in the glossary, then
-- run `npm run migrate` again (see docs/security.md).
DO $$
DECLARE
  dups text;
BEGIN
  SELECT string_agg(format('%s (entries %s)', g.terms, g.ids), '; ' ORDER BY g.key)
    INTO dups
    FROM (SELECT lower(term) AS key,
                 string_agg(quote_literal(term), ', ' ORDER BY id) AS terms,
                 string_agg(id::text, ', ' ORDER BY id) AS ids
            FROM glossary_entries
           GROUP BY lower(term)
          HAVING count(*) > 1) g;
  IF dups IS NOT NULL THEN
    RAISE EXCEPTION 'glossary terms differ only in case: %', dups
      USING HINT = 'Merge or delete the duplicate glossary entries (keep one per term), then run the migration again.';
  END IF;
END
$$;

CREATE UNIQUE INDEX "glossary_entries_term_lower_key" ON "glossary_entries" (lower("term"));
