import { useState } from 'react';
import { Box, Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import { Link, useNavigate } from 'react-router-dom';
import { useCreate, useNotify } from 'react-admin';
import { diffSx } from '../articles/DiffText';
import { errorMessage, takenEntryId } from '../glossary/glossaryErrors';
import { useRole } from '../useRole';
import type { RecurringCorrection } from './types';

/**
 * Phrases editors replaced the same way in several approved articles. A
 * reviewer turns one into a glossary entry (the edited phrase preferred, the
 * MT phrase forbidden); when the term is already there, they may open that entry.
 */
export function CorrectionsTable({ rows }: { rows: readonly RecurringCorrection[] }) {
  const { allows } = useRole();
  const canWrite = allows('article.edit');
  const canManageGlossary = allows('glossary.manage');
  const [create] = useCreate();
  const notify = useNotify();
  const navigate = useNavigate();
  const [adding, setAdding] = useState<string | null>(null);
  const [added, setAdded] = useState<Set<string>>(new Set());
  const [taken, setTaken] = useState<{ term: string; id: number; message: string } | null>(null);

  const add = (row: RecurringCorrection) => {
    setAdding(row.id);
    create(
      'glossary',
      { data: { term: row.edited, preferred: row.edited, forbidden: [row.mt], note: 'from recurring corrections' } },
      {
        onSuccess: () => {
          setAdded((s) => new Set([...s, row.id]));
          notify(`“${row.edited}” added to the glossary; “${row.mt}” is now flagged.`, { type: 'success' });
        },
        onError: (e: unknown) => {
          const id = takenEntryId(e);
          if (id !== null) setTaken({ term: row.edited, id, message: errorMessage(e) });
          else notify(errorMessage(e), { type: 'error' });
        },
        onSettled: () => setAdding(null),
      },
    );
  };

  if (rows.length === 0) return <Typography color="text.secondary">No phrase was corrected the same way in two approved articles yet.</Typography>;
  return (
    <>
      <Table size="small" aria-label="Recurring corrections" data-testid="corrections-table">
        <TableHead>
          <TableRow>
            <TableCell>MT phrase → correction</TableCell>
            <TableCell align="right">Times</TableCell>
            <TableCell align="right">Articles</TableCell>
            <TableCell>Examples</TableCell>
            {canManageGlossary ? <TableCell /> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} data-correction={`${r.mt}→${r.edited}`}>
              <TableCell>
                <Box component="span" sx={diffSx}>
                  <del>{r.mt}</del> → <ins>{r.edited}</ins>
                </Box>
              </TableCell>
              <TableCell align="right">{r.count}</TableCell>
              <TableCell align="right">{r.articles}</TableCell>
              <TableCell>
                {r.examples.map((x, i) => (
                  <span key={`${x.articleId}-${x.paragraphIndex}`}>
                    {i > 0 ? ', ' : ''}
                    <Link to={canWrite ? `/articles/${x.articleId}` : `/articles/${x.articleId}/show`}>
                      #{x.articleId} ¶{x.paragraphIndex + 1}
                    </Link>
                  </span>
                ))}
              </TableCell>
              {canManageGlossary ? (
                <TableCell align="right">
                  <Button size="small" startIcon={<PlaylistAddIcon />} disabled={adding === r.id || added.has(r.id)} onClick={() => add(r)} aria-label={added.has(r.id) ? `“${r.edited}” is in the glossary` : `Add “${r.edited}” to the glossary`}>
                    {added.has(r.id) ? 'Added' : 'Add to glossary'}
                  </Button>
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Dialog open={taken !== null} onClose={() => setTaken(null)} aria-labelledby="term-taken-title">
        <DialogTitle id="term-taken-title">Already in the glossary</DialogTitle>
        <DialogContent>
          <DialogContentText>{taken?.message}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setTaken(null)}>Cancel</Button>
          <Button variant="contained" onClick={() => taken && navigate(`/glossary/${taken.id}`)}>
            Open the existing entry
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
