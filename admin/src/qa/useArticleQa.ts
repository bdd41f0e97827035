import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { CopydeskDataProvider } from '../dataProvider';
import type { Finding } from './types';

const NONE: readonly Finding[] = Object.freeze([]);

/**
 * The QA findings of an article, fetched in one request for the whole
 * article. The version is part of the key, so a save (which bumps it) brings
 * fresh findings; `refetch` re-checks on demand (after a glossary change).
 */
export function useArticleQa(articleId: number | undefined, version: number | undefined) {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const query = useQuery({
    queryKey: ['qa', articleId, version],
    queryFn: () => dataProvider.articleQa(articleId as number),
    enabled: articleId !== undefined && version !== undefined,
    // A glossary entry added in another tab changes the findings: re-check when the editor comes back.
    staleTime: 0,
    refetchOnWindowFocus: true,
  });
  const findings = query.data?.findings ?? NONE;
  const byParagraph = useMemo(() => {
    const m = new Map<number, Finding[]>();
    for (const f of findings) {
      const list = m.get(f.paragraphIndex);
      if (list) list.push(f);
      else m.set(f.paragraphIndex, [f]);
    }
    return m;
  }, [findings]);
  // `server`: null until this version's findings arrived (or when they failed), so callers can tell "none" from "not known".
  return { findings, byParagraph, server: query.data?.findings ?? null, isFetching: query.isFetching, error: query.error, refetch: query.refetch };
}

/** The shared empty list, so memoised rows without findings keep equal props. */
export const NO_FINDINGS = NONE;
