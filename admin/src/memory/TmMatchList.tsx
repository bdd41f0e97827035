import { memo, useMemo } from 'react';
import { Box, Button, Chip, Link, Tooltip, Typography } from '@mui/material';
import { useFormContext } from 'react-hook-form';
import { useNotify } from 'react-admin';
import { diffParagraph } from '../../../shared/textDiff';
import { DiffText } from '../articles/DiffText';
import { TM_SHORTCUT } from './MemoryContext';
import type { TmMatch } from './types';

function percentColor(p: number): 'success' | 'primary' | 'default' {
  return p >= 95 ? 'success' : p >= 75 ? 'primary' : 'default';
}

function MatchRow({ match, rank, index, mt, editable }: { match: TmMatch; rank: number; index: number; mt: string; editable: boolean }) {
  const form = useFormContext();
  const notify = useNotify();
  // How the stored MT differs from this paragraph's MT: struck words are the memory's, underlined ones this paragraph's.
  const parts = useMemo(() => diffParagraph(match.mt, mt).parts, [match.mt, mt]);
  const insert = () => {
    form.setValue(`paragraphs.${index}.text`, match.approved, { shouldDirty: true, shouldTouch: true });
    notify(`Paragraph ${index + 1}: inserted the ${match.percent} % match (not saved yet).`, { type: 'info' });
  };
  return (
    <Box component="li" data-testid={`tm-match-${index}-${rank}`} sx={{ display: 'grid', gridTemplateColumns: '3.5rem minmax(0,1fr) auto', gap: 1, alignItems: 'start', py: 0.5, borderTop: rank > 1 ? '1px dotted' : 'none', borderColor: 'divider' }}>
      <Chip label={`${match.percent} %`} size="small" color={percentColor(match.percent)} sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 700 }} aria-label={`${match.percent} percent match`} />
      <Box sx={{ minWidth: 0, fontSize: '0.9rem' }}>
        <Box sx={{ fontFamily: '"Source Serif 4", Georgia, serif' }} data-testid={`tm-approved-${index}-${rank}`}>
          {match.approved}
        </Box>
        <Typography variant="caption" component="div" color="text.secondary" sx={{ mt: 0.25 }}>
          MT differences:
        </Typography>
        <Box sx={{ fontSize: '0.8rem', color: 'text.secondary' }}>
          <DiffText parts={parts} />
        </Box>
        <Typography variant="caption" color="text.secondary">
          From <Link href={`#/articles/${match.articleId}/show`}>{match.articleTitle}</Link>, ¶{match.index + 1}
        </Typography>
      </Box>
      {editable ? (
        <Tooltip title={`Replace the paragraph's text with this match (${TM_SHORTCUT}+${rank} in the paragraph)`}>
          <Button size="small" onClick={insert} aria-label={`Insert match ${rank} into paragraph ${index + 1}`}>
            Insert
          </Button>
        </Tooltip>
      ) : (
        <span />
      )}
    </Box>
  );
}

/** Translation-memory matches of one paragraph, best first, with how their MT differs from this one. */
export const TmMatchList = memo(function TmMatchList({ matches, index, mt, editable }: { matches: readonly TmMatch[]; index: number; mt: string; editable: boolean }) {
  return (
    <Box component="ol" aria-label={`Translation memory for paragraph ${index + 1}`} sx={{ m: 0, p: 0, listStyle: 'none' }}>
      {matches.map((m, i) => (
        <MatchRow key={`${m.articleId}:${m.index}`} match={m} rank={i + 1} index={index} mt={mt} editable={editable} />
      ))}
    </Box>
  );
});
