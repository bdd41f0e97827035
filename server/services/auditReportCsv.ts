// The audit report for machines: the article timeline and the activity list as
// CSV (diffs with [+ +] / [- -] markers), and the activity list as one streamed JSON document.
import { csvRow } from '../policy/csv';
import type { ActivityEntry, ActivitySubject, ArticleReport, ReportWindow } from './auditReport';
import { changeLabel, renderDiff } from './auditReportText';

export const ARTICLE_CSV_HEADER = ['at', 'type', 'actor', 'revision', 'from', 'to', 'editRate', 'note', 'auditEventId', 'detail'] as const;

/** The article timeline as CSV, one row per entry; diffs use the [+ +]/[- -] markers. */
export function articleReportCsv(r: ArticleReport): string {
  const plain = { color: false };
  const rows = r.entries.map((e) => {
    switch (e.type) {
      case 'import':
        return [e.at, 'import', e.actor, e.number, '', 'mt_draft', 0, '', e.auditEventId, e.batch ? `import batch #${e.batch.id}` : ''];
      case 'revision':
        return [e.at, e.kind, e.actor, e.number, '', '', e.editRate, e.note, e.auditEventId, e.diffs.map((d) => `${changeLabel(d)}: ${renderDiff(d.diff, plain)}`).join(' | ')];
      case 'status':
        return [e.at, 'status', e.actor, e.revisionNumber, e.from, e.to, '', e.note, '', ''];
      case 'export':
        return [e.at, 'export', e.actor, e.revisionNumber, '', '', '', '', '', `batch #${e.batchId} ${e.format} ${e.path} sha256 ${e.sha256}`];
      case 'event':
        return [e.at, e.action, e.actor, '', '', '', '', '', e.auditEventId, e.data];
    }
  });
  return csvRow([...ARTICLE_CSV_HEADER]) + rows.map(csvRow).join('');
}

export const ACTIVITY_CSV_HEADER = ['id', 'at', 'actorId', 'actorName', 'action', 'entity', 'entityId', 'articleId', 'articleTitle', 'revisionNumber', 'revisionNote', 'ip', 'data'] as const;

/** The activity report as CSV (header first), one row per event. */
export async function* activityCsv(entries: AsyncIterable<ActivityEntry>): AsyncGenerator<string> {
  yield csvRow([...ACTIVITY_CSV_HEADER]);
  for await (const e of entries) {
    yield csvRow([e.id, e.at, e.actorId, e.actorName, e.action, e.entity, e.entityId, e.article?.id, e.article?.title, e.revision?.number, e.revision?.note, e.ip, e.data]);
  }
}

/** The activity report as one JSON document, written piecewise: `{ subject, since, until, events: [...] }`. */
export async function* activityJson(entries: AsyncIterable<ActivityEntry>, subject: ActivitySubject, window: ReportWindow): AsyncGenerator<string> {
  const head = { subject, since: window.since ?? null, until: window.until ?? null };
  yield `${JSON.stringify(head).slice(0, -1)},"events":[`;
  let first = true;
  for await (const e of entries) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(e)}`;
    first = false;
  }
  yield '\n]}\n';
}
