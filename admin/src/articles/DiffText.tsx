import { Box, type SxProps, type Theme } from '@mui/material';
import type { DiffPart } from '../types';

export const diffSx: SxProps<Theme> = {
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-word',
  '& ins': { bgcolor: '#d7f5dd', color: '#0b4f1c', textDecoration: 'none', borderBottom: '2px solid #3fa35b', borderRadius: '2px' },
  '& del': { bgcolor: '#fde2e1', color: '#8c1d18', textDecoration: 'line-through', textDecorationColor: '#c0392b', borderRadius: '2px' },
};

/**
 * A word diff as React elements: unchanged text in <span>, insertions in <ins>,
 * deletions in <del>. The text is always a text child, never HTML.
 * `show` picks one side: 'old' drops insertions, 'new' drops deletions.
 */
export function DiffText({ parts, show = 'both', component = 'div' }: { parts: readonly DiffPart[]; show?: 'both' | 'old' | 'new'; component?: 'div' | 'span' }) {
  return (
    <Box component={component} sx={diffSx} className="diff">
      {parts.map((p, i) => {
        if (p.op === 'ins') return show === 'old' ? null : <ins key={i}>{p.text}</ins>;
        if (p.op === 'del') return show === 'new' ? null : <del key={i}>{p.text}</del>;
        return <span key={i}>{p.text}</span>;
      })}
    </Box>
  );
}
