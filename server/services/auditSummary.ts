// One-line, readable summaries of audit events for the text report.

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

/** A short, readable summary of an event's data, for the text report. */
export function summarize(action: string, data: unknown): string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return '';
  const d = data as Record<string, unknown>;
  if ((action === 'article.save' || action === 'article.restore') && typeof d.editRate === 'number') {
    const from = d.restoredFromNumber !== undefined ? ` from revision ${String(d.restoredFromNumber)}` : '';
    return `: revision ${String(d.number)}${from}, edit rate ${percent(d.editRate)}, ${String(d.inserted)} inserted, ${String(d.deleted)} deleted, ${String(d.substituted)} substituted`;
  }
  if (action === 'article.export' && d.revisionNumber !== undefined) {
    return `: revision ${String(d.revisionNumber)} → ${String(d.file)}${typeof d.sha256 === 'string' ? ` sha256 ${d.sha256.slice(0, 12)}…` : ''}${d.batchId !== undefined ? ` (export batch #${String(d.batchId)})` : ''}`;
  }
  if (action === 'article.transition') return `: ${String(d.from)} → ${String(d.to)}${typeof d.note === 'string' && d.note ? ` "${oneLine(d.note)}"` : ''}`;
  const keys = Object.keys(d).filter((k) => k !== 'articleId');
  if (keys.length === 0) return '';
  return `: ${keys.map((k) => `${k}=${scalar(d[k])}`).join(', ')}`;
}
