import type { QueryClient } from '@tanstack/react-query';
import type { ArticleRecord } from '../types';

/**
 * Puts a fresh article record (returned by a transition, a restore or a 409)
 * into react-admin's getOne cache, so the open page shows it without another
 * request, and marks the lists that depend on it stale.
 */
export function storeArticle(queryClient: QueryClient, record: ArticleRecord): void {
  queryClient.setQueryData(['articles', 'getOne', { id: String(record.id) }], record);
  void queryClient.invalidateQueries({ queryKey: ['articles', 'getList'] });
  void queryClient.invalidateQueries({ queryKey: ['revisions'] });
  void queryClient.invalidateQueries({ queryKey: ['status-changes'] });
}
