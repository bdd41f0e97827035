// One-line, readable summaries of audit events for the text report. Every
// action the server writes has its own line here (tests/unit/audit-summary.test.ts
// checks the list against the route table and NON_ROUTE_AUDIT_ACTIONS); data of
// an action this version does not know (an older log) is listed as key=value.
import { RECOMPUTE_ACTION } from './recomputeStats';

/** A multi-line text on one line, line breaks shown as ↵. */
export function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ↵ ');
}

/** `2026-11-21 10:05:12 UTC` */
export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function percent(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toString()}%`;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

type Data = Record<string, unknown>;

function plural(n: unknown, one: string): string {
  return `${String(n)} ${one}${n === 1 ? '' : 's'}`;
}

/** "¶3" for paragraph index 2, "the title" for -1, "the article" for null. */
function paragraphLabel(index: unknown): string {
  if (index === null || index === undefined) return 'the article';
  if (index === -1) return 'the title';
  return typeof index === 'number' ? `¶${index + 1}` : String(index);
}

/** "user #3", or "nobody" for no user. */
function userRef(id: unknown): string {
  return id === null || id === undefined ? 'nobody' : `user #${String(id)}`;
}

function quoted(v: unknown): string {
  return typeof v === 'string' ? `"${oneLine(v)}"` : String(v);
}

/** `role editor → reviewer, disabled false → true, password reset`, from a `{ field: [before, after] }` map. */
function changeList(changes: unknown): string {
  if (!changes || typeof changes !== 'object') return '';
  return Object.entries(changes as Data)
    .map(([k, v]) => (Array.isArray(v) && v.length === 2 ? `${k} ${scalar(v[0])} → ${scalar(v[1])}` : `${k} ${typeof v === 'string' ? v : scalar(v)}`))
    .join(', ');
}

function saveLine(d: Data): string {
  if (typeof d.editRate !== 'number') return '';
  const from = d.restoredFromNumber !== undefined ? ` from revision ${String(d.restoredFromNumber)}` : '';
  return `revision ${String(d.number)}${from}, edit rate ${percent(d.editRate)}, ${String(d.inserted)} inserted, ${String(d.deleted)} deleted, ${String(d.substituted)} substituted`;
}

function importLine(d: Data, what: string): string {
  const where = d.file !== undefined ? ` from ${String(d.file)}${d.line !== null && d.line !== undefined ? `:${String(d.line)}` : ''}` : '';
  const number = d.number !== undefined ? ` as revision ${String(d.number)}` : '';
  return `${what}${number}, ${plural(d.paragraphs, 'paragraph')}${where}${d.batchId !== undefined ? ` (import batch #${String(d.batchId)})` : ''}`;
}

const SUMMARIES: Readonly<Record<string, (d: Data) => string>> = {
  'article.save': saveLine,
  'article.restore': saveLine,
  'article.import': (d) => importLine(d, 'imported'),
  'article.mt_update': (d) => importLine(d, 'MT updated'),
  'article.export': (d) =>
    d.revisionNumber === undefined
      ? ''
      : `revision ${String(d.revisionNumber)} → ${String(d.file)}${typeof d.sha256 === 'string' ? ` sha256 ${d.sha256.slice(0, 12)}…` : ''}${d.batchId !== undefined ? ` (export batch #${String(d.batchId)})` : ''}`,
  'article.transition': (d) => {
    const note = typeof d.note === 'string' && d.note ? ` "${oneLine(d.note)}"` : '';
    const o = d.override as { reason?: unknown; openErrors?: unknown; openComments?: unknown } | undefined;
    const override = o ? `; approved over ${plural(o.openErrors, 'open error finding')} and ${plural(o.openComments, 'unresolved comment')}, reason ${quoted(o.reason)}` : '';
    const routed = d.assigneeTo !== undefined ? `; assignee ${userRef(d.assigneeFrom)} → ${userRef(d.assigneeTo)}` : '';
    return `${String(d.from)} → ${String(d.to)}${note}${override}${routed}`;
  },
  'article.review': (d) => {
    const seen = `${String(d.accepted)} accepted, ${String(d.rejected)} rejected against the ${d.since === 'approved' ? 'last approved' : 'submitted'} revision`;
    if (d.revisionId === undefined) return `review of revision #${String(d.reviewedRevisionId)}: ${seen}`;
    return `review of revision #${String(d.reviewedRevisionId)}: ${seen}; rejected changes reverted in revision ${String(d.number)}, ${String(d.statusFrom)} → ${String(d.statusTo)}, ${plural(Array.isArray(d.commentIds) ? d.commentIds.length : 0, 'comment')} written`;
  },
  'article.assign': (d) => `assignee ${userRef(d.from)} → ${userRef(d.to)}`,
  'article.bulk_replace': (d) => {
    const applied = Array.isArray(d.applied) ? d.applied.length : 0;
    const skipped = Array.isArray(d.skipped) ? d.skipped.length : 0;
    return `${quoted(d.find)} → ${quoted(d.replace)}${d.regex ? ' (regex)' : ''}: ${plural(d.replacements, 'replacement')} in ${plural(applied, 'article')}, ${String(skipped)} skipped of ${String(d.requested)}`;
  },
  'paragraph.confirm': (d) => `${paragraphLabel(d.paragraphIndex)} confirmed`,
  'paragraph.unconfirm': (d) => `${paragraphLabel(d.paragraphIndex)} no longer confirmed`,
  'comment.create': (d) => `comment on ${paragraphLabel(d.paragraphIndex)}`,
  'comment.resolve': (d) => (d.resolved === false ? 'reopened' : 'resolved'),
  'comment.reopen': () => 'reopened',
  'comment.edit': () => 'text edited',
  'comment.update': (d) => [d.edited ? 'text edited' : '', d.resolved === true ? 'resolved' : d.resolved === false ? 'reopened' : ''].filter(Boolean).join(' and '),
  'glossary.create': (d) => `${quoted(d.term)}${d.preferred !== undefined ? ` → ${quoted(d.preferred)}` : ''}${d.forbidden ? ' (forbidden)' : ''}`,
  'glossary.update': (d) => `${quoted(d.term)}: ${changeList(d.changes)}`,
  'glossary.delete': (d) => `${quoted(d.term)} removed`,
  'glossary.import': (d) => Object.entries(d).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${String(v)} ${k}`).join(', '),
  'user.create': (d) => `${quoted(d.username)} as ${String(d.role)}${d.firstAdmin ? ' (the first admin)' : ''}`,
  'user.update': (d) => `${quoted(d.username)}: ${changeList(d.changes)}`,
  'user.role_change': (d) => `${quoted(d.username)}: ${changeList(d.changes)}`,
  'user.disable': (d) => `${quoted(d.username)} disabled`,
  'user.enable': (d) => `${quoted(d.username)} enabled`,
  'user.password_reset': (d) => `${quoted(d.username)}: password reset`,
  // The action says it all.
  'auth.login': () => '',
  'auth.logout': () => '',
  'auth.login_failed': (d) => `as ${quoted(d.username)}: ${String(d.reason).replace(/_/g, ' ')}`,
  'auth.login_rate_limited': (d) => `as ${quoted(d.username)}: too many attempts (limited by ${String(d.limitedBy)}), retry after ${String(d.retryAfterSeconds)} s`,
  'permission.denied': (d) =>
    d.permission !== undefined
      ? `the ${String(d.role)} role lacks "${String(d.permission)}" for ${String(d.url)}`
      : `${String(d.attempted)} refused for the ${String(d.role)} role (${String(d.code)}): ${oneLine(String(d.reason))}`,
  'import.batch': (d) =>
    d.abandoned
      ? `abandoned by a runner (pid ${String(d.pid)}) that died after ${String(d.imported)} imported`
      : `${String(d.status)}: ${plural(d.files, 'file')} (${String(d.failedFiles)} failed), ${String(d.imported)} imported, ${String(d.updated)} updated, ${String(d.skipped)} skipped, ${String(d.conflicts)} conflicts`,
  'export.batch': (d) => `${plural(d.articleCount, 'article')} as ${String(d.format)} to ${String(d.outDir)}${typeof d.manifestSha256 === 'string' ? `, manifest sha256 ${d.manifestSha256.slice(0, 12)}…` : ''}`,
  'audit.keyed': (d) => `hash chain keyed with key ${String(d.keyId)} after event #${String(d.lastUnkeyedEventId)}`,
  [RECOMPUTE_ACTION]: (d) => `${String(d.changed)} of ${String(d.checked)} revisions recomputed (${plural(d.articlesUpdated, 'article')} updated)`,
};

/** Whether `action` has its own summary line (rather than the key=value listing). */
export function hasSummary(action: string): boolean {
  return Object.hasOwn(SUMMARIES, action);
}

/** A short, readable summary of an event's data, for the text report: ": …", or '' when there is nothing to say. */
export function summarize(action: string, data: unknown): string {
  const d: Data = data && typeof data === 'object' && !Array.isArray(data) ? (data as Data) : {};
  if (hasSummary(action)) {
    const line = SUMMARIES[action]!(d);
    if (line) return `: ${line}`;
  }
  const keys = Object.keys(d).filter((k) => k !== 'articleId');
  if (keys.length === 0) return '';
  return `: ${keys.map((k) => `${k}=${scalar(d[k])}`).join(', ')}`;
}
