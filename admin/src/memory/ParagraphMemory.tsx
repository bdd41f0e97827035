import { memo } from 'react';
import { Box, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { CopydeskDataProvider } from '../dataProvider';
import type { ArticleParagraph } from '../types';
import { GlossaryHitList } from './GlossaryHitList';
import { tmQuery, useMemoryContext } from './MemoryContext';
import { TmMatchList } from './TmMatchList';

/**
 * The memory beside one paragraph: glossary terms in its source and MT, and
 * translation-memory matches from approved articles. Renders nothing when
 * there is neither, so paragraphs without help stay compact.
 */
export const ParagraphMemory = memo(function ParagraphMemory({ paragraph, editable }: { paragraph: ArticleParagraph; editable: boolean }) {
  const ctx = useMemoryContext();
  const dp = useDataProvider<CopydeskDataProvider>();
  const tm = useQuery({ ...tmQuery(dp, ctx?.articleId ?? 0, paragraph.index), enabled: ctx !== null });
  if (!ctx) return null;
  const matches = tm.data?.matches ?? [];
  const glossary = ctx.glossary ? <GlossaryHitList glossary={ctx.glossary} index={paragraph.index} mt={paragraph.mt} source={paragraph.source ?? null} live={editable} /> : null;
  if (matches.length === 0 && !tm.error) {
    return glossary ? (
      <Box sx={{ mt: 0.75 }} data-testid={`memory-${paragraph.index}`}>
        {glossary}
      </Box>
    ) : null;
  }
  return (
    <Box data-testid={`memory-${paragraph.index}`} sx={{ mt: 0.75, p: 1, borderRadius: 1, border: '1px solid', borderColor: '#c9d6e8', borderLeftWidth: 4, bgcolor: '#f7faff', display: 'grid', gap: 0.75 }}>
      {glossary}
      {tm.error ? (
        <Typography variant="caption" color="error">
          Translation memory unavailable: {tm.error instanceof Error ? tm.error.message : String(tm.error)}
        </Typography>
      ) : (
        <>
          <Typography variant="caption" color="text.secondary">
            Translation memory
          </Typography>
          <TmMatchList matches={matches} index={paragraph.index} mt={paragraph.mt} editable={editable} />
        </>
      )}
    </Box>
  );
});
