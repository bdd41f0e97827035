import { useMemo, type ReactNode } from 'react';
import { Box, Paper, Typography } from '@mui/material';
import { MemoryProvider } from '../memory/MemoryContext';
import { QaSummary } from '../qa/QaSummary';
import { TITLE_INDEX } from '../qa/types';
import type { useArticleQa } from '../qa/useArticleQa';
import { NO_SHOWN_FINDINGS, type LiveQa } from '../qa/useLiveQa';
import type { ArticleParagraph, ArticleRecord } from '../types';
import { gridColumns, type EditorView } from './editorView';
import { ParagraphRow } from './ParagraphRow';

interface Props {
  record: ArticleRecord;
  editable: boolean;
  view: EditorView;
  /** The server's findings on the saved text (for the summary's state and re-check). */
  qa: ReturnType<typeof useArticleQa>;
  /** The findings shown: live on the text being typed, merged with the server's. */
  live: LiveQa;
  /** Open and total comments per paragraph index. */
  counts: ReadonlyMap<number, { open: number; total: number }>;
  onComments: (index: number) => void;
  /** Controls to mount at the end of each row (index -1: the title). */
  rowActions?: (index: number) => ReactNode;
}

/**
 * The editor's rows: the QA summary, then the title and every paragraph as one
 * compact row each, with the findings of the text being typed (checked live
 * in the browser) merged with the server's findings on the saved text.
 */
export function ArticleRows({ record, editable, view, qa, live, counts, onComments, rowActions }: Props) {
  const hasSource = record.paragraphs.some((p) => p.source) || Boolean(record.sourceTitle);
  const title = useMemo<ArticleParagraph>(() => ({ index: TITLE_INDEX, text: record.title, mt: record.mtTitle, source: record.sourceTitle, codes: null, meta: null }), [record.title, record.mtTitle, record.sourceTitle]);
  const findingsOf = (index: number) => (view.showQa ? (live.byParagraph.get(index) ?? NO_SHOWN_FINDINGS) : NO_SHOWN_FINDINGS);
  const source = hasSource && view.showSource;
  const count = record.paragraphs.length;
  return (
    <>
      <Box sx={{ mb: 1 }}>
        <QaSummary findings={live.findings} fetching={qa.isFetching} failed={qa.error != null} onRecheck={() => void qa.refetch()} />
      </Box>
      <MemoryProvider articleId={record.id} editable={editable}>
        <Paper variant="outlined" sx={{ overflow: 'clip' }} data-testid="paragraph-rows" data-density={view.density}>
          <Box
            sx={{ display: 'grid', gridTemplateColumns: gridColumns(view, hasSource), columnGap: view.density === 'compact' ? 1.5 : 2, px: 1, py: 0.75, bgcolor: 'grey.100', borderBottom: '1px solid', borderColor: 'divider', position: 'sticky', top: 0, zIndex: 2 }}
            aria-hidden
          >
            <Typography variant="caption" sx={{ textAlign: 'right' }}>
              ¶
            </Typography>
            {source ? <Typography variant="subtitle2">Source{record.sourceLang ? ` (${record.sourceLang})` : ''}</Typography> : null}
            {view.showMt ? <Typography variant="subtitle2">Machine translation{view.diff === 'mt' ? ' → current text' : view.diff === 'saved' ? ' (unsaved changes as a diff)' : ''}</Typography> : null}
            <Typography variant="subtitle2">
              {editable ? 'Edited text' : 'Current text'}
              {record.targetLang ? ` (${record.targetLang})` : ''}
            </Typography>
            <span />
          </Box>
          <ParagraphRow paragraph={title} count={count} hasSource={hasSource} readOnly={!editable} view={view} findings={findingsOf(TITLE_INDEX)} checkedText={live.checked.title} actions={rowActions?.(TITLE_INDEX)} />
          {record.paragraphs.map((p, i) => (
            <ParagraphRow
              key={p.index}
              paragraph={p}
              count={count}
              hasSource={hasSource}
              readOnly={!editable}
              view={view}
              findings={findingsOf(p.index)}
              checkedText={live.checked.paragraphs[i] ?? p.text}
              openComments={counts.get(p.index)?.open ?? 0}
              totalComments={counts.get(p.index)?.total ?? 0}
              onComments={onComments}
              actions={rowActions?.(p.index)}
            />
          ))}
        </Paper>
      </MemoryProvider>
    </>
  );
}
