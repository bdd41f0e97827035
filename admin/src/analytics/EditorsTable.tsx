import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { formatRate } from '../articles/statuses';
import type { AnalyticsSummary } from './types';

/** Per editor: articles touched, revisions, words inserted/deleted/substituted and their average edit rate. */
export function EditorsTable({ editors }: { editors: AnalyticsSummary['editors'] }) {
  if (editors.length === 0) return <Typography color="text.secondary">No edits in this period.</Typography>;
  return (
    <Table size="small" aria-label="Editors" data-testid="editors-table">
      <TableHead>
        <TableRow>
          <TableCell>Editor</TableCell>
          <TableCell align="right">Articles</TableCell>
          <TableCell align="right">Revisions</TableCell>
          <TableCell align="right">Words inserted</TableCell>
          <TableCell align="right">deleted</TableCell>
          <TableCell align="right">substituted</TableCell>
          <TableCell align="right">Words edited</TableCell>
          <TableCell align="right">Avg. edit rate</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {editors.map((e) => (
          <TableRow key={e.userId}>
            <TableCell>
              {e.displayName} <Typography component="span" variant="body2" color="text.secondary">@{e.username}</Typography>
            </TableCell>
            <TableCell align="right">{e.articlesTouched}</TableCell>
            <TableCell align="right">{e.revisions}</TableCell>
            <TableCell align="right">{e.wordsInserted}</TableCell>
            <TableCell align="right">{e.wordsDeleted}</TableCell>
            <TableCell align="right">{e.wordsSubstituted}</TableCell>
            <TableCell align="right">{e.wordsEdited}</TableCell>
            <TableCell align="right">{formatRate(e.avgEditRate)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
