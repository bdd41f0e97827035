import { useCallback } from 'react';
import { useGlossaryEntries } from '../memory/MemoryContext';
import { TITLE_INDEX } from '../qa/types';
import { useArticleQa } from '../qa/useArticleQa';
import { useLiveQa } from '../qa/useLiveQa';
import type { ArticleRecord } from '../types';
import { ArticleRows } from './ArticleRows';
import { ConfirmBar } from './confirm/ConfirmBar';
import { ConfirmToggle } from './confirm/ConfirmToggle';
import { EditorToolbar } from './EditorToolbar';
import type { EditorView } from './editorView';
import { WorkspaceKeys } from './keyboard/WorkspaceKeys';

interface Props {
  record: ArticleRecord;
  editable: boolean;
  view: EditorView;
  onView: (patch: Partial<EditorView>) => void;
  counts: ReadonlyMap<number, { open: number; total: number }>;
  onComments: (index: number | null) => void;
}

/**
 * The editor tab: segment progress and filters, the keyboard shortcuts, the
 * view settings and the rows. The findings are computed once here (live in the
 * browser, merged with the server's) so the rows, the filters and "next
 * finding" all see the same list.
 */
export function EditorPanel({ record, editable, view, onView, counts, onComments }: Props) {
  const qa = useArticleQa(record.id, record.version);
  const glossary = useGlossaryEntries();
  const live = useLiveQa(record, qa.server, glossary);
  const hasSource = record.paragraphs.some((p) => p.source) || Boolean(record.sourceTitle);
  const rowActions = useCallback(
    (index: number) => {
      const p = index === TITLE_INDEX ? { text: record.title, mt: record.mtTitle } : record.paragraphs.find((x) => x.index === index);
      return p ? <ConfirmToggle index={index} saved={p.text} mt={p.mt} /> : null;
    },
    [record],
  );
  return (
    <>
      <ConfirmBar record={record} byParagraph={live.byParagraph}>
        <WorkspaceKeys record={record} byParagraph={live.byParagraph} editable={editable} onComments={onComments} />
      </ConfirmBar>
      <EditorToolbar view={view} onChange={onView} editable={editable} hasSource={hasSource} sourceLang={record.sourceLang ?? null} targetLang={record.targetLang ?? null} />
      <ArticleRows record={record} editable={editable} view={view} qa={qa} live={live} counts={counts} onComments={onComments} rowActions={rowActions} />
    </>
  );
}
