// Glossary statements Prisma cannot express (table glossary_entries).
import { Prisma, type Db } from '../client';
import { escapeLike } from '../like';
import { int, rowDecoder, selectRows } from './rows';

const decodeId = rowDecoder('glossary.forbiddenMatches', { id: int });

/** Ids of the entries with a forbidden variant containing `needle` (case-insensitive, taken literally). */
export async function entriesWithForbiddenLike(db: Db, needle: string): Promise<number[]> {
  const rows = await selectRows(
    db,
    Prisma.sql`
    SELECT id FROM glossary_entries g
     WHERE EXISTS (SELECT 1 FROM unnest(g.forbidden) AS v WHERE v ILIKE ${`%${escapeLike(needle)}%`})`,
    decodeId,
  );
  return rows.map((r) => r.id);
}
