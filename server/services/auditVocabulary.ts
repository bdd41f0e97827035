import type { Db } from '../db/client';
import { storedAuditVocabulary } from '../db/sql/auditVocabulary';
import type { RouteSpec } from '../http/routes';
import { RECOMPUTE_ACTION } from './recomputeStats';

/**
 * Audit actions written outside the HTTP routes (which declare theirs in the
 * route table): imports and exports run from the command line, the
 * maintenance command, and refusals and failed logins recorded by the guard
 * and the login service. tests/unit/audit-vocabulary.test.ts checks that every
 * action literal in the server's code is either here or in the route table.
 */
export const NON_ROUTE_AUDIT_ACTIONS = [
  'article.import',
  'article.mt_update',
  'article.export',
  'import.batch',
  'export.batch',
  'auth.login_failed',
  'auth.login_rate_limited',
  'audit.keyed',
  'permission.denied',
  RECOMPUTE_ACTION,
] as const;

/** The kinds of record an audit event can be about (its `entity` column). Checked against the code the same way. */
export const AUDIT_ENTITIES = ['article', 'audit', 'comment', 'export_batch', 'glossary', 'import_batch', 'revision', 'route', 'user'] as const;

/** `GET /api/audit-events/vocabulary`: what the audit log's filters can offer. */
export interface AuditVocabulary {
  actions: string[];
  entities: string[];
}

/** Every action the app's routes declare (`audit` and `auditVariants`) plus the non-route ones. */
export function definedAuditActions(routeTable: readonly RouteSpec[]): string[] {
  const set = new Set<string>(NON_ROUTE_AUDIT_ACTIONS);
  for (const r of routeTable) {
    if (r.audit) set.add(r.audit);
    for (const v of r.auditVariants ?? []) set.add(v);
  }
  return [...set].sort();
}

/**
 * The actions and entities the server defines, joined with those already in
 * the log (an event written by an older version keeps its filter).
 */
export async function auditVocabulary(db: Db, routeTable: readonly RouteSpec[]): Promise<AuditVocabulary> {
  const stored = await storedAuditVocabulary(db);
  return {
    actions: [...new Set([...definedAuditActions(routeTable), ...stored.actions])].sort(),
    entities: [...new Set([...AUDIT_ENTITIES, ...stored.entities])].sort(),
  };
}
