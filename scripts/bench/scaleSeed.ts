// Set-based seeding of the scale bench's corpus: articles, their paragraphs,
// an import revision each, approvals and the translation memory, generated
// inside PostgreSQL with generate_series (no row crosses the wire), so that a
// million articles take minutes. Deterministic: article g is the same in
// every run and at every size, and growing from N to M adds articles N+1…M.
import type pg from 'pg';

export const SCALE_STATUSES = ['mt_draft', 'in_edit', 'in_review', 'changes_requested', 'approved', 'exported', 'archived'] as const;
export const SCALE_PARAGRAPHS = 3;
const VOCABULARY = 20_000;
const FUNCTION_WORDS = ['the', 'of', 'and', 'to', 'in', 'a', 'on', 'for', 'with', 'that', 'was', 'said', 'by', 'at', 'from'];

const lit = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;
const ONSETS = lit(['b', 'br', 'c', 'ch', 'cl', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'qu', 'r', 's', 'sh', 'st', 't', 'th', 'tr', 'v', 'w', 'y', 'z']);
const VOWELS = lit(['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou']);
const CODAS = lit(['', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ng']);

/** Syllable number x (0 ≤ x < 2,880) as SQL: onset, vowel, coda. */
const syllable = (x: string) => `(${ONSETS})[1 + (${x}) % 32] || (${VOWELS})[1 + (${x}) / 32 % 9] || (${CODAS})[1 + (${x}) / 288 % 10]`;

/**
 * The MT of paragraph `p` of article `g`, as SQL over int columns g and p:
 * 20–35 words, three in ten a function word, the rest word number
 * ⌊VOCABULARY · u^2.5⌋ (the tm bench's skew toward frequent words) of a
 * vocabulary of pseudo-words of one or two syllables. hashint8 gives each
 * word position its own draws. Only small literal arrays: subscripting a
 * large array parameter costs a copy of it per word.
 */
function paragraphSql(): string {
  const h = (salt: number) => `(hashint8(g::bigint * 4096 + p * 64 + i + ${salt}::bigint * 1000000007) & 1048575)`;
  const k = `floor(${VOCABULARY} * power(${h(3)} / 1048576.0::float8, 2.5::float8))::int`;
  // One flat scan of (article, paragraph, word) rows, aggregated once: no subquery per paragraph or word.
  return `SELECT g, p, string_agg(CASE WHEN ${h(1)} % 10 < 3 THEN (${lit(FUNCTION_WORDS)})[1 + ${h(2)} % ${FUNCTION_WORDS.length}]
                                       ELSE ${syllable(`${k} % 2880`)} || CASE WHEN ${k} >= 2880 THEN ${syllable(`${k} / 2880`)} ELSE '' END END, ' ' ORDER BY i)
            FROM generate_series($1::int + 1, $2::int) AS g, generate_series(0, ${SCALE_PARAGRAPHS - 1}) AS p,
                 LATERAL generate_series(1, 20 + (hashint8(g::bigint * 16 + p) & 15)) AS i
           GROUP BY g, p`;
}

export interface GrowOptions {
  /** Article numbers from+1 … to are added. */
  from: number;
  to: number;
  /** Assignees, a third of the articles each get one, in turn. */
  assignees: readonly number[];
  approverId: number;
  /** Articles per transaction. */
  chunk?: number;
  log?(line: string): void;
}

/**
 * Adds articles `from+1 … to`: statuses spread evenly over the seven, update
 * times over the last 90 days, three paragraphs and an import revision each;
 * approved and exported ones pin that revision and enter the translation
 * memory by the approval path's own SQL (tm_anchors). VACUUM ANALYZE at the
 * end, as autovacuum would after such a load.
 */
export async function growScaleCorpus(c: pg.Client, o: GrowOptions): Promise<void> {
  const chunk = o.chunk ?? 100_000;
  for (let lo = o.from; lo < o.to; lo += chunk) {
    const hi = Math.min(o.to, lo + chunk);
    const t0 = performance.now();
    // Seconds per statement, logged: where a million articles' seeding time goes.
    const spent: string[] = [];
    const q = async (what: string, text: string, values?: unknown[]) => {
      const t = performance.now();
      await c.query(text, values);
      spent.push(`${what} ${((performance.now() - t) / 1000).toFixed(1)}`);
    };
    await c.query('BEGIN');
    // The word rows of a chunk are aggregated in memory rather than sorted on disk.
    await c.query(`SET LOCAL work_mem = '256MB'`);
    // CREATE TABLE AS takes no parameters: the table first, then its rows.
    await c.query('CREATE TEMP TABLE scale_par (g int, p int, mt text) ON COMMIT DROP');
    await q(
      'text',
      `INSERT INTO scale_par ${paragraphSql()}`,
      [lo, hi],
    );
    await q(
      'articles',
      `INSERT INTO articles ("externalId", "contentHash", title, "mtTitle", status, "assigneeId", "editRate", "wordCount", "mtWordCount",
                             "searchText", "publishedAt", "createdAt", "updatedAt")
       SELECT 'scale-' || g, encode(sha256(convert_to('scale-' || g, 'UTF8')), 'hex'), 'Scale article ' || g, 'Scale article ' || g,
              ($3::text[])[1 + g % 7]::"ArticleStatus",
              CASE WHEN g % 3 = 0 THEN ($4::int[])[1 + (g / 3) % cardinality($4::int[])] END,
              (g::bigint * 7919 % 1000) / 1000.0, words, words, 'Scale article ' || g || E'\\n' || body,
              now() - interval '1 day' * (g % 365), now() - interval '1 minute' * g, now() - interval '1 second' * ((g::bigint * 7919) % 7776000)
         FROM (SELECT g, string_agg(mt, E'\\n' ORDER BY p) AS body, sum(cardinality(string_to_array(mt, ' ')))::int AS words
                 FROM scale_par GROUP BY g) x
        WHERE g > $1::int AND g <= $2::int`,
      [lo, hi, SCALE_STATUSES, o.assignees],
    );
    await c.query('CREATE TEMP TABLE scale_ids (id int, g int, status text, title text) ON COMMIT DROP');
    await q(
      'ids',
      `INSERT INTO scale_ids SELECT a.id, substr(a."externalId", 7)::int, a.status::text, a.title FROM articles a
        WHERE a."externalId" IN (SELECT 'scale-' || g FROM generate_series($1::int + 1, $2::int) AS g)`,
      [lo, hi],
    );
    await c.query('ANALYZE scale_par');
    await c.query('ANALYZE scale_ids');
    await q('paragraphs', `INSERT INTO paragraphs ("articleId", position, mt, text) SELECT s.id, p.p, p.mt, p.mt FROM scale_ids s JOIN scale_par p USING (g)`);
    await q(
      'revisions',
      `INSERT INTO revisions ("articleId", number, "articleVersion", kind, title, paragraphs, diffs, stats)
       SELECT s.id, 1, 1, 'import', s.title, jsonb_agg(p.mt ORDER BY p.p), '{}'::jsonb, '{}'::jsonb
         FROM scale_ids s JOIN scale_par p USING (g) GROUP BY s.id, s.title`,
    );
    await q(
      'approvals',
      `UPDATE articles a SET "approvedRevisionId" = r.id, "approvedById" = $1, "approvedAt" = now()
         FROM scale_ids s JOIN revisions r ON r."articleId" = s.id AND r.number = 1
        WHERE a.id = s.id AND s.status IN ('approved', 'exported')`,
      [o.approverId],
    );
    // The statement syncTmSegments sends on approval, for the whole chunk at once.
    await q(
      'memory',
      `INSERT INTO tm_segments ("articleId", position, "revisionId", "sourceLang", "targetLang", mt, source, approved, anchors)
       SELECT a.id, p.position, r.id, a."sourceLang", a."targetLang", p.mt, p.source, t.text, tm_anchors(p.mt)
         FROM scale_ids s
         JOIN articles a ON a.id = s.id
         JOIN revisions r ON r.id = a."approvedRevisionId"
        CROSS JOIN LATERAL jsonb_array_elements_text(r.paragraphs) WITH ORDINALITY AS t(text, n)
         JOIN paragraphs p ON p."articleId" = a.id AND p.position = t.n - 1
        WHERE a.status IN ('approved', 'exported') AND btrim(p.mt) <> '' AND btrim(t.text) <> ''`,
    );
    await q('commit', 'COMMIT');
    o.log?.(`scale: articles ${lo + 1}–${hi} seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${spent.join(', ')})`);
  }
  for (const table of ['articles', 'article_search', 'paragraphs', 'revisions', 'tm_segments']) await c.query(`VACUUM ANALYZE ${table}`);
}
