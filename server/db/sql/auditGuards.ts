// Catalog reads behind the audit log's self-checks: which database a
// checkpoint belongs to, what the app's role could do to audit_events, and
// the state of its append-only triggers.
import { Prisma, type Db } from '../client';
import { bool, rowDecoder, selectRows, text } from './rows';

const decodeName = rowDecoder('auditGuards.databaseName', { name: text });
/** The database's name and cluster identifier ("copydesk@7301…"), which tell two databases with the same name apart. */
export async function databaseName(db: Db): Promise<string> {
  const [row] = await selectRows(db, Prisma.sql`select current_database()::text || '@' || (select system_identifier::text from pg_control_system()) as name`, decodeName);
  return row.name;
}

const decodeRole = rowDecoder('auditGuards.connectionRole', { user: text, superuser: bool, owner: bool });
/** The connection's role, whether it is a superuser, and whether it owns (or is a member of the owner of) audit_events. */
export async function connectionRole(db: Db): Promise<{ user: string; superuser: boolean; owner: boolean } | undefined> {
  const [row] = await selectRows(
    db,
    Prisma.sql`
    select current_user::text as "user", r.rolsuper as superuser, pg_has_role(current_user, c.relowner, 'MEMBER') as owner
      from pg_roles r, pg_class c where r.rolname = current_user and c.oid = 'audit_events'::regclass`,
    decodeRole,
  );
  return row;
}

const decodeTrigger = rowDecoder('auditGuards.triggers', { name: text, enabled: text });
/** The user triggers on audit_events with their `tgenabled` state ('A', 'O', 'R' or 'D'). */
export async function auditTriggers(db: Db): Promise<Array<{ name: string; enabled: string }>> {
  return selectRows(db, Prisma.sql`select tgname::text as name, tgenabled::text as enabled from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal`, decodeTrigger);
}
