import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { ArticleStatus } from '../types';
import { STATUS_COLORS, STATUS_LABELS } from './statuses';

/** A status as a coloured chip; reads `status` from the record context unless given. */
export function StatusChip({ status, source = 'status', size = 'small' }: { status?: ArticleStatus | null; source?: string; size?: 'small' | 'medium'; label?: string; sortBy?: string }) {
  const record = useRecordContext();
  const value = status ?? (record?.[source] as ArticleStatus | undefined);
  if (!value) return null;
  const c = STATUS_COLORS[value] ?? STATUS_COLORS.mt_draft;
  return <Chip size={size} label={STATUS_LABELS[value] ?? value} sx={{ bgcolor: c.bg, color: c.fg, fontWeight: 600 }} data-status={value} />;
}
