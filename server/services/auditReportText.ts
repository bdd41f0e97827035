// The audit report as text for people: the article timeline and the activity
// list, with word diffs in colour or with [+ +] / [- -] markers.
import { isHumanAuthored } from '../../shared/revisionKinds';
import type { DiffPart, ParagraphDiff } from '../../shared/textDiff';
import { REVISION_WRITES, type ActivityEntry, type ActivitySubject, type ArticleReport, type ArticleTimelineEntry, type ParagraphChange, type ReportWindow } from './auditReport';
import { formatTime, oneLine, percent, summarize } from './auditSummary';

/** How to print word diffs: ANSI colours (a terminal) or [+added+] / [-removed-] markers. */
export interface RenderOptions {
  color: boolean;
}

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const RESET = '\u001b[0m';
/** Unchanged text longer than this is shortened around the changes. */
const CONTEXT = 40;

function elide(text: string, where: 'start' | 'middle' | 'end'): string {
  if (text.length <= CONTEXT * 2 + 5) return text;
  if (where === 'start') return `…${text.slice(-CONTEXT)}`;
  if (where === 'end') return `${text.slice(0, CONTEXT)}…`;
  return `${text.slice(0, CONTEXT)} … ${text.slice(-CONTEXT)}`;
}

/**
 * A word diff on one line: insertions in green and deletions in red with
 * `color`, else as `[+added+]` and `[-removed-]`. Long unchanged stretches are
 * shortened to the words around the changes.
 */
export function renderDiff(diff: ParagraphDiff, opts: RenderOptions): string {
  const parts: DiffPart[] = diff.parts;
  return parts
    .map((p, i) => {
      const text = oneLine(p.text);
      if (p.op === 'eq') return elide(text, i === 0 ? 'start' : i === parts.length - 1 ? 'end' : 'middle');
      if (opts.color) return `${p.op === 'ins' ? GREEN : RED}${text}${RESET}`;
      return p.op === 'ins' ? `[+${text}+]` : `[-${text}-]`;
    })
    .join('');
}

/** `2026-11-21 10:05:12 UTC` */
export function changeLabel(c: ParagraphChange): string {
  return c.index === null ? 'title' : `¶${c.index + 1}`;
}

const KIND_VERB: Record<string, string> = { edit: 'Saved', restore: 'Restored', bulk_replace: 'Bulk replace wrote', mt_update: 'MT update wrote', review: 'Review reverted rejected changes in' };

function entryLines(e: ArticleTimelineEntry, opts: RenderOptions): string[] {
  const t = formatTime(e.at);
  switch (e.type) {
    case 'import': {
      const batch = e.batch ? ` (import batch #${e.batch.id}${e.batch.name ? ` "${e.batch.name}"` : ''})` : '';
      const audit = e.auditEventId !== null ? ` [audit #${e.auditEventId}]` : '';
      return [`${t}  Imported as revision ${e.number} by ${e.actor}${batch}: ${e.paragraphs} paragraph${e.paragraphs === 1 ? '' : 's'}, ${e.words} words${audit}`];
    }
    case 'revision': {
      const from = e.restoredFromNumber !== null ? ` from revision ${e.restoredFromNumber}` : '';
      const audit = e.auditEventId !== null ? ` [audit #${e.auditEventId}]` : isHumanAuthored(e.kind) ? ' [NO AUDIT EVENT]' : '';
      const lines = [`${t}  ${KIND_VERB[e.kind] ?? `Wrote (${e.kind})`} revision ${e.number}${from} by ${e.actor}${audit}`];
      if (e.note) lines.push(`    note: ${oneLine(e.note)}`);
      const c = e.changes;
      lines.push(`    edit rate ${percent(e.editRate)} against the MT${c ? `; this save: ${c.inserted} inserted, ${c.deleted} deleted, ${c.substituted} substituted words` : ''}`);
      for (const d of e.diffs) lines.push(`    ${changeLabel(d)}: ${d.diff.truncated ? '(rewritten whole) ' : ''}${renderDiff(d.diff, opts)}`);
      if (e.diffs.length === 0) lines.push('    (no text change against the previous revision)');
      return lines;
    }
    case 'status':
      return [`${t}  Status ${e.from ?? '—'} → ${e.to} by ${e.actor}${e.revisionNumber !== null ? ` at revision ${e.revisionNumber}` : ''}${e.note ? `: "${oneLine(e.note)}"` : ''}`];
    case 'export':
      return [`${t}  Exported revision ${e.revisionNumber} by ${e.actor} (export batch #${e.batchId}, ${e.format}): ${e.path} sha256 ${e.sha256.slice(0, 12)}…`];
    case 'event':
      return [`${t}  ${e.action} by ${e.actor} [audit #${e.auditEventId}]${summarize(e.action, e.data)}`];
  }
}

function windowText(w: ReportWindow): string {
  if (!w.since && !w.until) return '';
  return ` from ${w.since ? formatTime(w.since) : 'the start'} to ${w.until ? formatTime(w.until) : 'now'}`;
}

/** The article timeline as text for people. */
export function articleReportText(r: ArticleReport, opts: RenderOptions): string {
  const a = r.article;
  const head = [
    `Article #${a.id}${a.externalId ? ` (${a.externalId})` : ''} "${oneLine(a.title)}": ${a.status}, ${a.revisionCount} revision${a.revisionCount === 1 ? '' : 's'}`,
  ];
  if (r.username || r.window.since || r.window.until) head.push(`Showing${r.username ? ` what ${r.username} did` : ' everything'}${windowText(r.window)}: ${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'}`);
  const body = r.entries.flatMap((e) => entryLines(e, opts));
  return [...head, '', ...(body.length ? body : ['(nothing in this window)'])].join('\n') + '\n';
}

function subjectText(s: ActivitySubject): string {
  if (s.kind === 'user') return `Activity of ${s.displayName && s.displayName !== s.username ? `${s.displayName} (${s.username}, ${s.role})` : `${s.username} (${s.role})`}`;
  return s.kind === 'system' ? 'Activity of the system' : 'Activity of everyone';
}

/** The activity report as text lines: a heading, one line per event (two with a revision note), and a count. */
export async function* activityText(entries: AsyncIterable<ActivityEntry>, subject: ActivitySubject, window: ReportWindow): AsyncGenerator<string> {
  yield `${subjectText(subject)}${windowText(window)}\n\n`;
  let n = 0;
  for await (const e of entries) {
    n++;
    const who = subject.kind === 'user' ? '' : ` by ${e.actorName}`;
    const target = e.article ? `article #${e.article.id} "${oneLine(e.article.title)}"` : `${e.entity}${e.entityId !== null ? ` #${e.entityId}` : ''}`;
    const ip = e.ip ? ` [${e.ip}]` : '';
    let line = `${formatTime(e.at)}  #${e.id}  ${e.action}${who}  ${target}${summarize(e.action, e.data)}${ip}\n`;
    // A revision's note belongs to the save that wrote it, not to later events naming the revision.
    if (e.revision?.note && REVISION_WRITES.has(e.action)) line += `    note: ${oneLine(e.revision.note)}\n`;
    yield line;
  }
  yield `\n${n} event${n === 1 ? '' : 's'}\n`;
}
