import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormContext, useFormState } from 'react-hook-form';
import { useDataProvider, useNotify, useRegisterMutationMiddleware, type DataProvider } from 'react-admin';
import { submitWarnings } from '../../../../shared/gates';
import type { CopydeskDataProvider } from '../../dataProvider';
import { errorMessage } from '../../httpClient';
import type { Finding } from '../../qa/types';
import type { ArticleFormValues, ArticleRecord, VersionConflict } from '../../types';
import { rowsOf, unconfirmedIndexes, type ConfirmRow, type RowFilter } from './progress';
import type { ArticleConfirmations } from './types';

/** What the editor is asked about before submitting, read fresh from the server. */
export interface SubmitCheck {
  lines: string[];
  unconfirmed: number[];
  errors: Finding[];
}

export interface ConfirmApi {
  articleId: number;
  editable: boolean;
  /** Rows the server lists as confirmed for their saved text. */
  confirmedSaved: ReadonlySet<number>;
  loaded: boolean;
  /** The title and paragraphs as the form holds them now. */
  currentRows: () => ConfirmRow[];
  /** Whether the title or a paragraph differs from the saved text (a revision note alone is nothing to save). */
  hasUnsavedText: () => boolean;
  /** Confirms a row: saves first when the article has unsaved changes, and confirms only the text that save stored. */
  confirm: (index: number) => void;
  unconfirm: (index: number) => void;
  filters: ReadonlySet<RowFilter>;
  toggleFilter: (f: RowFilter) => void;
  /** Turns every row filter off. */
  clearFilters: () => void;
  /** Runs `fn` once the save started by `save()` has landed (never after a version conflict). */
  saveThen: (fn: (saved: ArticleRecord) => void) => void;
  /** The submit-for-review action of the workflow buttons, registered by them (null when submitting is not allowed now). */
  registerSubmit: (fn: (() => void) | null) => void;
  startSubmit: () => boolean;
  submitCheck: () => Promise<SubmitCheck>;
}

const Ctx = createContext<ConfirmApi | null>(null);

/** The confirmation state of the open article; null outside the editor workspace. */
export function useConfirm(): ConfirmApi | null {
  return useContext(Ctx);
}

const keyOf = (id: number, version: number) => ['confirmations', id, version] as const;

/**
 * Segment status for the workspace: the server's confirmations (refetched
 * with every version, so a save that changes a paragraph drops its
 * confirmation), confirm/unconfirm with save-first, the row filters and the
 * submit check. Mounted once around the workspace body.
 */
export function ConfirmProvider({ record, editable, conflict, rootRef, children }: { record: ArticleRecord; editable: boolean; conflict: VersionConflict | null | undefined; rootRef: RefObject<HTMLDivElement | null>; children: ReactNode }) {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const form = useFormContext<ArticleFormValues>();
  const [filters, setFilters] = useState<ReadonlySet<RowFilter>>(new Set());
  const recordRef = useRef(record);
  const pending = useRef<{ fromVersion: number; fns: Array<(saved: ArticleRecord) => void> } | null>(null);
  const submitRef = useRef<(() => void) | null>(null);
  const { isSubmitting } = useFormState();
  // Read through a ref: reading form.formState outside a render leaves react-hook-form's isDirty stale after the next reset.
  const submittingRef = useRef(isSubmitting);
  useEffect(() => {
    submittingRef.current = isSubmitting;
  }, [isSubmitting]);

  const query = useQuery({
    queryKey: keyOf(record.id, record.version),
    queryFn: () => dataProvider.confirmations(record.id),
    placeholderData: keepPreviousData,
  });
  const confirmedSaved = useMemo(() => new Set((query.data?.confirmations ?? []).map((c) => c.paragraphIndex)), [query.data]);

  useEffect(() => {
    recordRef.current = record;
    const p = pending.current;
    if (!p || record.version === p.fromVersion) return;
    pending.current = null;
    // The form resets to the saved record in an effect of its own; run after it.
    setTimeout(() => p.fns.forEach((fn) => fn(recordRef.current)), 0);
  }, [record]);
  // A version conflict opens the conflict dialog: what was to follow the save is dropped, the editor decides anew.
  useEffect(() => {
    if (conflict) pending.current = null;
  }, [conflict]);

  // A save that fails (the error is shown by the edit page) drops what was to follow it.
  const onSaveFailure = useCallback<(resource: string, params: Parameters<DataProvider['update']>[1], next: DataProvider['update']) => ReturnType<DataProvider['update']>>(async (resource, params, next) => {
    const p = pending.current;
    try {
      return await next(resource, params);
    } catch (e) {
      if (p && pending.current === p) pending.current = null;
      throw e;
    }
  }, []);
  useRegisterMutationMiddleware(onSaveFailure);

  const store = useCallback((answer: ArticleConfirmations) => queryClient.setQueriesData({ queryKey: ['confirmations', answer.articleId] }, answer), [queryClient]);

  const send = useCallback(
    async (index: number, confirmed: boolean, text?: string) => {
      try {
        store(await dataProvider.setConfirmation(record.id, { paragraphIndex: index, confirmed, ...(text !== undefined ? { text } : {}) }));
      } catch (e) {
        notify(errorMessage(e), { type: 'error' });
      }
    },
    [dataProvider, notify, record.id, store],
  );

  const saveThen = useCallback(
    (fn: (saved: ArticleRecord) => void) => {
      const p = pending.current;
      if (p) p.fns.push(fn);
      else pending.current = { fromVersion: recordRef.current.version, fns: [fn] };
      // A second save of the same version would conflict with the first: join the save in flight instead.
      if (!submittingRef.current) rootRef.current?.closest('form')?.requestSubmit();
    },
    [rootRef],
  );

  const currentRows = useCallback(() => rowsOf(recordRef.current, form.getValues()), [form]);
  const hasUnsavedText = useCallback(() => currentRows().some((r) => r.current !== r.saved), [currentRows]);

  const confirm = useCallback(
    (index: number) => {
      const row = currentRows().find((r) => r.index === index);
      if (!row) return;
      if (!hasUnsavedText()) {
        void send(index, true, row.saved);
        return;
      }
      // Confirm exactly the text on screen: after the save, only if the save stored it.
      saveThen((saved) => {
        const stored = rowsOf(saved, undefined).find((r) => r.index === index);
        if (stored && stored.saved === row.current) void send(index, true, stored.saved);
      });
    },
    [currentRows, hasUnsavedText, saveThen, send],
  );

  const submitCheck = useCallback(async (): Promise<SubmitCheck> => {
    const { id, version } = recordRef.current;
    const [confirmations, qa] = await Promise.all([
      queryClient.fetchQuery({ queryKey: keyOf(id, version), queryFn: () => dataProvider.confirmations(id) }),
      queryClient.fetchQuery({ queryKey: ['qa', id, version], queryFn: () => dataProvider.articleQa(id) }),
    ]);
    const held = new Set(confirmations.confirmations.map((c) => c.paragraphIndex));
    const unconfirmed = unconfirmedIndexes(currentRows(), held);
    const errors = qa.findings.filter((f) => f.severity === 'error');
    return { lines: submitWarnings({ unconfirmed, openErrors: errors.length }), unconfirmed, errors };
  }, [currentRows, dataProvider, queryClient]);

  const api = useMemo<ConfirmApi>(
    () => ({
      articleId: record.id,
      editable,
      confirmedSaved,
      loaded: query.data !== undefined,
      currentRows,
      hasUnsavedText,
      confirm,
      unconfirm: (index) => void send(index, false),
      filters,
      toggleFilter: (f) =>
        setFilters((prev) => {
          const next = new Set(prev);
          if (!next.delete(f)) next.add(f);
          return next;
        }),
      clearFilters: () => setFilters(new Set()),
      saveThen,
      registerSubmit: (fn) => {
        submitRef.current = fn;
      },
      startSubmit: () => {
        if (!submitRef.current) return false;
        submitRef.current();
        return true;
      },
      submitCheck,
    }),
    [record.id, editable, confirmedSaved, query.data, currentRows, hasUnsavedText, confirm, send, filters, saveThen, submitCheck],
  );
  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}
