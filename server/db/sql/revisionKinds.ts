// SQL for the rules in shared/revisionKinds.ts, built from the same
// lists (bound as parameters) so the database and the pure policy cannot drift.
import { Prisma } from '../client';
import { HUMAN_AUTHORED_KINDS } from '../../../shared/revisionKinds';

/** `<kind> IN (edit, restore, bulk_replace)` for a revision-kind column expression such as `r.kind`. */
export function humanAuthoredKindSql(kindColumn: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${kindColumn}::text IN (${Prisma.join([...HUMAN_AUTHORED_KINDS])})`;
}

/**
 * The same rule as enum literals (`r.kind IN ('edit'::"RevisionKind", …)`), so
 * the planner can use the index on `revisions.kind`; the literals come from
 * the one list in shared/revisionKinds.ts, never from input.
 */
export function humanAuthoredKindLiteralSql(kindColumn: Prisma.Sql): Prisma.Sql {
  const literals = HUMAN_AUTHORED_KINDS.map((k) => `'${k}'::"RevisionKind"`).join(', ');
  return Prisma.sql`${kindColumn} IN (${Prisma.raw(literals)})`;
}

/**
 * The distinct authors of the article `articleId` (an SQL expression) who wrote
 * a person's revision since its last approval, as an int[] (empty when none):
 * the SQL form of `authorsSinceApproval`. The last approval is the latest status
 * change to `approved`; revisions after it are those with a higher number than
 * the revision it approved, or, when it names none, a later time.
 */
export function authorsSinceApprovalSql(articleId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(array_agg(DISTINCT rv."authorId"), '{}'::int[])
      FROM revisions rv
      LEFT JOIN LATERAL (
        SELECT sc."createdAt", r2.number
          FROM status_changes sc LEFT JOIN revisions r2 ON r2.id = sc."revisionId"
         WHERE sc."articleId" = ${articleId} AND sc."toStatus" = 'approved'
         ORDER BY sc.id DESC LIMIT 1) la ON true
     WHERE rv."articleId" = ${articleId} AND ${humanAuthoredKindSql(Prisma.sql`rv.kind`)} AND rv."authorId" IS NOT NULL
       AND (la."createdAt" IS NULL
            OR (la.number IS NOT NULL AND rv.number > la.number)
            OR (la.number IS NULL AND rv."createdAt" > la."createdAt")))`;
}

/** True when the article `articleId` (an SQL expression) has any revision written by a person. */
export function editedByPersonSql(articleId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`exists (select 1 from revisions r where r."articleId" = ${articleId} and ${humanAuthoredKindSql(Prisma.sql`r.kind`)})`;
}
