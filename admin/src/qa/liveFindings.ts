/**
 * Pure rules of the editor's live quality checks: what the browser checks,
 * how its findings combine with the server's (which also runs the tagged
 * checks), and where a finding sits in the textarea. No React, so unit tests
 * run them directly.
 */
import type { InlineCode, ParagraphMeta } from '../../../shared/inlineCodes';
import { toEditable } from '../../../shared/inlineCodes';
import { TITLE_INDEX, type Finding, type QaGlossaryEntry, type QaInput } from '../../../shared/qa/types';

/**
 * A finding as the editor shows it. `live`: found in the browser on the text
 * being typed (offsets into `LiveTexts`). `save`: found by the server on the
 * saved text (offsets into the saved text), which the browser cannot
 * reproduce because it needs the part-of-speech tagger.
 */
export type ShownFinding = Finding & { origin: 'live' | 'save' };

/** The texts one run of the checks saw: the title and every paragraph, in order. */
export interface LiveTexts {
  title: string;
  paragraphs: readonly string[];
}

/** What the checks need of one saved paragraph (a subset of the article record's). */
export interface CheckedParagraph {
  index: number;
  mt: string;
  text: string;
  source: string | null;
  codes: readonly InlineCode[] | null;
  meta: ParagraphMeta | null;
}

/** What the checks need of the saved article. */
export interface CheckedArticle {
  title: string;
  mtTitle: string;
  sourceTitle: string | null;
  targetLang: string | null;
  paragraphs: readonly CheckedParagraph[];
}

/** The texts of the saved article. */
export function savedTexts(article: CheckedArticle): LiveTexts {
  return { title: article.title, paragraphs: article.paragraphs.map((p) => p.text) };
}

/**
 * The QA input of `texts` (the editor's current title and paragraphs), built
 * as the server builds it for the saved text (server/services/qa.ts): each
 * text against its own MT and source, with its inline codes, and the glossary.
 */
export function liveQaInput(article: CheckedArticle, texts: LiveTexts, glossary: readonly QaGlossaryEntry[]): QaInput {
  return {
    title: { text: texts.title, mt: article.mtTitle, source: article.sourceTitle },
    paragraphs: article.paragraphs.map((p, i) => ({
      text: texts.paragraphs[i] ?? p.text,
      mt: p.mt,
      source: p.source,
      codes: p.codes,
      emptyTarget: p.meta?.emptyTarget === true,
    })),
    glossary,
    targetLang: article.targetLang,
  };
}

export const findingKey = (f: Finding): string => `${f.paragraphIndex}:${f.check}:${f.start}:${f.end}:${f.message}`;

const textOf = (texts: LiveTexts, index: number): string | undefined => (index === TITLE_INDEX ? texts.title : texts.paragraphs[index]);

/**
 * The findings the editor shows, from the browser's checks of the current
 * text (`live`), the same checks run on the saved text (`liveOnSaved`) and
 * the server's findings on the saved text (`server`, null while loading or
 * failed). The server's verdict wins where it saw the same words: a live
 * finding the browser also made on the saved text, over the same characters,
 * but the server did not report was overruled by the tagger (a stray stop
 * rather than a lower-case sentence start) and is dropped. A server finding
 * the browser cannot make is added as from the last save. Everything else
 * live stands.
 */
export function mergeFindings(live: readonly Finding[], liveOnSaved: readonly Finding[], server: readonly Finding[] | null, current: LiveTexts, saved: LiveTexts): ShownFinding[] {
  const out: ShownFinding[] = [];
  if (server === null) {
    for (const f of live) out.push({ ...f, origin: 'live' });
    return out;
  }
  const sameWords = (f: Finding) => textOf(current, f.paragraphIndex)?.slice(f.start, f.end) === textOf(saved, f.paragraphIndex)?.slice(f.start, f.end);
  const serverKeys = new Set(server.map(findingKey));
  const browserKeys = new Set(liveOnSaved.map(findingKey));
  for (const f of live) {
    const key = findingKey(f);
    if (browserKeys.has(key) && !serverKeys.has(key) && sameWords(f)) continue;
    out.push({ ...f, origin: 'live' });
  }
  const shown = new Set(out.map(findingKey));
  for (const f of server) {
    const key = findingKey(f);
    if (browserKeys.has(key) || shown.has(key)) continue;
    out.push({ ...f, origin: 'save' });
  }
  return out.sort((a, b) => a.paragraphIndex - b.paragraphIndex || a.start - b.start);
}

/** Findings grouped by paragraph index (the title under TITLE_INDEX). */
export function groupByParagraph<F extends Finding>(findings: readonly F[]): Map<number, F[]> {
  const m = new Map<number, F[]>();
  for (const f of findings) {
    const list = m.get(f.paragraphIndex);
    if (list) list.push(f);
    else m.set(f.paragraphIndex, [f]);
  }
  return m;
}

/**
 * Keeps the previous list of a paragraph when its findings did not change,
 * so memoised rows whose findings are the same keep equal props.
 */
export function reuseUnchanged<F extends ShownFinding>(previous: ReadonlyMap<number, readonly F[]>, next: Map<number, F[]>): Map<number, readonly F[]> {
  const out = new Map<number, readonly F[]>();
  for (const [index, list] of next) {
    const before = previous.get(index);
    const same = before !== undefined && before.length === list.length && before.every((f, i) => findingKey(f) === findingKey(list[i]) && f.origin === list[i].origin);
    out.set(index, same ? before : list);
  }
  return out;
}

/** Where offset `offset` of a stored text lies in its editable form (inline codes shown as ⟦k⟧). */
export function editableOffset(text: string, offset: number): number {
  const clamped = Math.max(0, Math.min(offset, text.length));
  return toEditable(text.slice(0, clamped)).length;
}

/** A span of the editable text to mark, with the findings covering it. */
export interface MarkSpan {
  start: number;
  end: number;
  findings: ShownFinding[];
}

/**
 * The spans to mark over the textarea showing `current`: only findings whose
 * offsets refer to that very text (a live finding checked on it, a saved one
 * when the text is still the saved text) and that cover some characters;
 * offsets are moved to the editable form. Cut at every boundary, so each
 * piece lists every finding covering it.
 */
export function markSpans(current: string, findings: readonly ShownFinding[], checked: string, saved: string): MarkSpan[] {
  const usable = findings.filter((f) => f.end > f.start && f.end <= current.length && (f.origin === 'live' ? checked === current : saved === current));
  if (usable.length === 0) return [];
  const moved = usable.map((f) => ({ f, start: editableOffset(current, f.start), end: editableOffset(current, f.end) }));
  const cuts = [...new Set(moved.flatMap((m) => [m.start, m.end]))].sort((a, b) => a - b);
  const out: MarkSpan[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const covering = moved.filter((m) => m.start <= a && m.end >= b).map((m) => m.f);
    if (covering.length > 0) out.push({ start: a, end: b, findings: covering });
  }
  return out;
}
