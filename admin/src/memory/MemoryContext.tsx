import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useFormContext } from 'react-hook-form';
import { useDataProvider, useNotify } from 'react-admin';
import { compileGlossaryTerms, type CompiledGlossary } from '../../../shared/glossaryHits';
import type { CopydeskDataProvider } from '../dataProvider';
import type { GlossaryRecord } from '../glossary/types';
import { errorMessage } from '../httpClient';
import type { TmLookup } from './types';

interface MemoryState {
  articleId: number;
  glossary: CompiledGlossary | null;
}

const MemoryContext = createContext<MemoryState | null>(null);

/** The article and compiled glossary the paragraph panels read; null outside a MemoryProvider. */
export const useMemoryContext = (): MemoryState | null => useContext(MemoryContext);

const GLOSSARY_PAGE = 1000;

/** Every glossary entry, page by page (a page holds at most 1,000). */
async function loadGlossary(dp: CopydeskDataProvider): Promise<GlossaryRecord[]> {
  const all: GlossaryRecord[] = [];
  for (let page = 1; ; page++) {
    const { data, total } = await dp.getList<GlossaryRecord>('glossary', { pagination: { page, perPage: GLOSSARY_PAGE }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    all.push(...data);
    if (data.length < GLOSSARY_PAGE || (total !== undefined && all.length >= total)) return all;
  }
}

/** The react-query options of one paragraph's TM lookup: shared by the panel and the insert shortcut. */
export function tmQuery(dp: CopydeskDataProvider, articleId: number, index: number) {
  return { queryKey: ['tm', articleId, index], queryFn: () => dp.tmLookup(articleId, index), staleTime: 5 * 60_000 };
}

/** Ctrl+Shift+1…5: the paragraph whose textarea has focus takes TM match 1…5 (needs the form context). */
export const TM_SHORTCUT = 'Ctrl+Shift';
const paragraphOf = (el: Element | null): number | null => {
  const m = el ? /^paragraph-text-(\d+)$/.exec(el.id) : null;
  return m ? Number(m[1]) : null;
};

/** Fetches (or takes from the cache) paragraph `index`'s matches and writes match `rank` (1-based) into its text. */
export async function insertMatch(qc: QueryClient, dp: CopydeskDataProvider, articleId: number, index: number, rank: number, write: (text: string) => void): Promise<TmLookup['matches'][number] | null> {
  const lookup = await qc.fetchQuery(tmQuery(dp, articleId, index));
  const m = lookup.matches[rank - 1];
  if (!m) return null;
  write(m.approved);
  return m;
}

function TmShortcuts({ articleId }: { articleId: number }) {
  const form = useFormContext();
  const qc = useQueryClient();
  const dp = useDataProvider<CopydeskDataProvider>();
  const notify = useNotify();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // e.code, not e.key: with Shift held, e.key is "!" or "@" depending on the keyboard layout.
      const digit = /^Digit([1-5])$/.exec(e.code);
      if (!digit || !(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey) return;
      const index = paragraphOf(document.activeElement);
      if (index === null) return;
      e.preventDefault();
      const rank = Number(digit[1]);
      const write = (text: string) => form.setValue(`paragraphs.${index}.text`, text, { shouldDirty: true, shouldTouch: true });
      insertMatch(qc, dp, articleId, index, rank, write).then(
        (m) => notify(m ? `Paragraph ${index + 1}: inserted the ${m.percent} % match from “${m.articleTitle}” (not saved yet).` : `Paragraph ${index + 1} has no translation-memory match ${rank}.`, { type: m ? 'info' : 'warning' }),
        (err: unknown) => notify(errorMessage(err), { type: 'error' }),
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [form, qc, dp, notify, articleId]);
  return null;
}

/**
 * Every glossary entry (undefined while loading): one cached query shared by
 * the memory panels and the editor's live quality checks.
 */
export function useGlossaryEntries(): GlossaryRecord[] | undefined {
  const dp = useDataProvider<CopydeskDataProvider>();
  return useQuery({ queryKey: ['glossary-terms'], queryFn: () => loadGlossary(dp), staleTime: 60_000, refetchOnWindowFocus: true }).data;
}

/**
 * Translation memory and glossary for the paragraphs inside: loads the
 * glossary once and compiles it for the per-paragraph panels, and (when the
 * text is editable) installs the Ctrl+Shift+1…5 insert shortcut.
 */
export function MemoryProvider({ articleId, editable, children }: { articleId: number; editable: boolean; children: ReactNode }) {
  const entries = useGlossaryEntries();
  const glossary = useMemo(() => (entries ? compileGlossaryTerms(entries) : null), [entries]);
  const value = useMemo(() => ({ articleId, glossary }), [articleId, glossary]);
  return (
    <MemoryContext.Provider value={value}>
      {editable ? <TmShortcuts articleId={articleId} /> : null}
      {children}
    </MemoryContext.Provider>
  );
}
