// The distinct actions and entities stored in the audit log.
import { Prisma, type Db } from '../client';
import { arrayOf, nullable, rowDecoder, selectRows, text } from './rows';

const decode = rowDecoder('auditVocabulary.stored', { actions: nullable(arrayOf(text)), entities: nullable(arrayOf(text)) });

/**
 * The distinct actions and entities in audit_events, read by a skip scan over
 * the (action, at) and (entity, entityId) indexes: one index probe per
 * distinct value, however long the log.
 */
export async function storedAuditVocabulary(db: Db): Promise<{ actions: string[]; entities: string[] }> {
  const [row] = await selectRows(
    db,
    Prisma.sql`
      WITH RECURSIVE act AS (
        (SELECT action FROM audit_events ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT e.action FROM audit_events e WHERE e.action > act.action ORDER BY e.action LIMIT 1) FROM act WHERE act.action IS NOT NULL
      ), ent AS (
        (SELECT entity FROM audit_events ORDER BY entity LIMIT 1)
        UNION ALL
        SELECT (SELECT e.entity FROM audit_events e WHERE e.entity > ent.entity ORDER BY e.entity LIMIT 1) FROM ent WHERE ent.entity IS NOT NULL
      )
      SELECT (SELECT array_agg(action) FROM act WHERE action IS NOT NULL) AS actions,
             (SELECT array_agg(entity) FROM ent WHERE entity IS NOT NULL) AS entities`,
    decode,
  );
  return { actions: row?.actions ?? [], entities: row?.entities ?? [] };
}
