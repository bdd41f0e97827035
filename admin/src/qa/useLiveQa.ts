import { useEffect, useMemo, useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { runQaChecksWith } from '../../../shared/qa/runChecks';
import { resolveQaConfig, type Finding, type QaGlossaryEntry } from '../../../shared/qa/types';
import type { ArticleFormValues, ArticleRecord } from '../types';
import { groupByParagraph, liveQaInput, mergeFindings, reuseUnchanged, savedTexts, type LiveTexts, type ShownFinding } from './liveFindings';

/** How long typing must pause before the checks run again. */
export const LIVE_QA_DEBOUNCE_MS = 300;

// The configuration the server's GET /api/articles/:id/qa and the approval gate use (server/services/qa.ts: the defaults).
const CONFIG = resolveQaConfig({});
const NO_GLOSSARY: readonly QaGlossaryEntry[] = Object.freeze([]);
const NO_SHOWN: readonly ShownFinding[] = Object.freeze([]);

const sameTexts = (a: LiveTexts, b: LiveTexts) => a.title === b.title && a.paragraphs.length === b.paragraphs.length && a.paragraphs.every((t, i) => t === b.paragraphs[i]);

function readTexts(values: Partial<ArticleFormValues>, record: ArticleRecord): LiveTexts {
  return { title: typeof values.title === 'string' ? values.title : record.title, paragraphs: record.paragraphs.map((p) => values.paragraphs?.[p.index]?.text ?? p.text) };
}

export interface LiveQa {
  /** Every finding shown, live and from the last save, ordered by paragraph (title first). */
  findings: readonly ShownFinding[];
  /** Per paragraph index (TITLE_INDEX for the title); lists keep their identity while unchanged. */
  byParagraph: ReadonlyMap<number, readonly ShownFinding[]>;
  /** The texts the live findings' offsets refer to. */
  checked: LiveTexts;
}

/**
 * The quality checks of the text being typed, run in the browser with the
 * server's own check module (no tagger: compromise stays out of the bundle),
 * LIVE_QA_DEBOUNCE_MS after the last keystroke, merged with the server's
 * findings on the saved text (see mergeFindings). Subscribes to the form
 * rather than re-rendering on every keystroke.
 */
export function useLiveQa(record: ArticleRecord, server: readonly Finding[] | null, glossary: readonly QaGlossaryEntry[] | undefined): LiveQa {
  const form = useFormContext<ArticleFormValues>();
  const entries = glossary ?? NO_GLOSSARY;
  const saved = useMemo(() => savedTexts(record), [record]);
  const [typed, setTyped] = useState<{ of: ArticleRecord; texts: LiveTexts }>({ of: record, texts: saved });
  const texts = typed.of === record ? typed.texts : saved;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      const next = readTexts(form.getValues(), record);
      setTyped((prev) => (prev.of === record && sameTexts(prev.texts, next) ? prev : { of: record, texts: next }));
    };
    update();
    const sub = form.watch(() => {
      clearTimeout(timer);
      timer = setTimeout(update, LIVE_QA_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      sub.unsubscribe();
    };
  }, [form, record]);

  // Memoised per article version: the saved text is checked once, the typed text once per pause.
  const onSaved = useMemo(() => runQaChecksWith(liveQaInput(record, saved, entries), CONFIG, null), [record, saved, entries]);
  const live = useMemo(() => (sameTexts(texts, saved) ? onSaved : runQaChecksWith(liveQaInput(record, texts, entries), CONFIG, null)), [record, texts, saved, entries, onSaved]);
  const findings = useMemo(() => mergeFindings(live, onSaved, server, texts, saved), [live, onSaved, server, texts, saved]);

  // Derived state adjusted during render (React's documented pattern): the grouping of the previous findings is what unchanged lists are kept from.
  const [grouped, setGrouped] = useState<{ of: readonly ShownFinding[]; map: ReadonlyMap<number, readonly ShownFinding[]> }>(() => ({ of: findings, map: groupByParagraph(findings) }));
  let byParagraph = grouped.map;
  if (grouped.of !== findings) {
    byParagraph = reuseUnchanged(grouped.map, groupByParagraph(findings));
    setGrouped({ of: findings, map: byParagraph });
  }
  return { findings: findings.length ? findings : NO_SHOWN, byParagraph, checked: texts };
}

/** The shared empty list, so memoised rows without findings keep equal props. */
export const NO_SHOWN_FINDINGS = NO_SHOWN;
