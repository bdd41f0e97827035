import { Box, Stack, Typography } from '@mui/material';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import { useGetList } from 'react-admin';
import type { StatusChangeRow } from '../types';
import { StatusChip } from './StatusChip';

/** The status changes of one article, newest first. */
export function StatusHistory({ articleId }: { articleId: number }) {
  const { data = [], isPending } = useGetList<StatusChangeRow>('status-changes', {
    filter: { articleId },
    sort: { field: 'createdAt', order: 'DESC' },
    pagination: { page: 1, perPage: 200 },
  });
  if (isPending) return <Typography color="text.secondary">Loading…</Typography>;
  if (data.length === 0) return <Typography color="text.secondary">No status changes yet.</Typography>;
  return (
    <Stack spacing={1.5} component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }} data-testid="status-history">
      {data.map((s) => (
        <Box component="li" key={s.id} sx={{ borderLeft: '3px solid', borderColor: 'divider', pl: 1.5 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            {s.fromStatus ? <StatusChip status={s.fromStatus} /> : <Typography variant="body2">created</Typography>}
            <ArrowForwardIcon fontSize="small" color="action" />
            <StatusChip status={s.toStatus} />
          </Stack>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            {s.actorName ?? 'system'} · {new Date(s.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
          </Typography>
          {s.note ? <Typography sx={{ whiteSpace: 'pre-wrap', mt: 0.5 }}>“{s.note}”</Typography> : null}
        </Box>
      ))}
    </Stack>
  );
}
