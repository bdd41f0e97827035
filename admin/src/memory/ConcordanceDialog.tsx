import { useEffect, useMemo, useState } from 'react';
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Link, Switch, TextField, Typography } from '@mui/material';
import { useGetList } from 'react-admin';
import { diffParagraph } from '../../../shared/textDiff';
import { DiffText } from '../articles/DiffText';
import type { ConcordanceRow } from './types';

const PER_PAGE = 10;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function Pair({ row }: { row: ConcordanceRow }) {
  const parts = useMemo(() => diffParagraph(row.mt, row.approved).parts, [row.mt, row.approved]);
  return (
    <Box component="li" sx={{ py: 1, borderBottom: '1px solid', borderColor: 'divider' }} data-testid="concordance-row">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0,1fr) minmax(0,1fr)', gap: 2, fontFamily: '"Source Serif 4", Georgia, serif', fontSize: '0.92rem' }}>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div">
            MT
          </Typography>
          {row.mt}
        </Box>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div">
            Approved (changes against the MT)
          </Typography>
          <DiffText parts={parts} />
        </Box>
      </Box>
      <Typography variant="caption" color="text.secondary">
        <Link href={`#/articles/${row.articleId}/show`}>{row.articleTitle}</Link>, ¶{row.index + 1}
        {row.sourceLang || row.targetLang ? ` · ${row.sourceLang ?? '?'} → ${row.targetLang ?? '?'}` : ''}
      </Typography>
    </Box>
  );
}

/**
 * Concordance: a phrase looked up across the approved texts of the
 * translation memory, listing each MT paragraph with its approved text, so
 * the editor sees how the phrase was rendered before. Searches the article's
 * language pair unless widened. Each opening mounts it afresh (the caller
 * gives it a new key), so it starts from `initial` on page 1.
 */
export function ConcordanceDialog({ open, onClose, initial, sourceLang, targetLang }: { open: boolean; onClose: () => void; initial: string; sourceLang: string | null; targetLang: string | null }) {
  const [q, setQ] = useState(initial);
  const [page, setPage] = useState(1);
  const [samePair, setSamePair] = useState(true);
  const phrase = useDebounced(q.trim(), 250);
  const filter = { q: phrase, ...(samePair && sourceLang ? { sourceLang } : {}), ...(samePair && targetLang ? { targetLang } : {}) };
  const { data = [], total = 0, isFetching, error } = useGetList<ConcordanceRow>(
    'concordance',
    { filter, pagination: { page, perPage: PER_PAGE }, sort: { field: 'id', order: 'DESC' } },
    { enabled: open && phrase.length >= 3 },
  );
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md" aria-labelledby="concordance-title">
      <DialogTitle id="concordance-title">Concordance</DialogTitle>
      <DialogContent>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mt: 1 }}>
          <TextField
            autoFocus
            fullWidth
            size="small"
            label="Phrase in the MT or the approved text"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            helperText={q.trim().length < 3 ? 'Type at least 3 characters.' : isFetching ? 'Searching…' : `${total} approved paragraph${total === 1 ? '' : 's'}`}
            slotProps={{ htmlInput: { 'aria-label': 'Concordance phrase', maxLength: 200 } }}
          />
          {sourceLang || targetLang ? (
            <FormControlLabel control={<Switch checked={samePair} onChange={(e) => setSamePair(e.target.checked)} />} label={`Only ${sourceLang ?? '?'} → ${targetLang ?? '?'}`} sx={{ whiteSpace: 'nowrap' }} />
          ) : null}
        </Box>
        {error ? (
          <Typography color="error" sx={{ mt: 1 }}>
            {error instanceof Error ? error.message : String(error)}
          </Typography>
        ) : null}
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, mt: 1 }} aria-label="Concordance results">
          {phrase.length >= 3 ? data.map((row) => <Pair key={row.id} row={row} />) : null}
        </Box>
      </DialogContent>
      <DialogActions>
        <Typography variant="body2" color="text.secondary" sx={{ mr: 'auto', pl: 2 }}>
          Page {page} of {pages}
        </Typography>
        <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
          Previous
        </Button>
        <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next
        </Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
