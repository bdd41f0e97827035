import { Button, IconButton, Tooltip } from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutlineOutlined';
import { useWatch } from 'react-hook-form';
import { useConfirm } from './ConfirmContext';
import { rowState, type RowState } from './progress';

const LOOK: Record<RowState, { title: string }> = {
  confirmed: { title: 'Confirmed. Click to withdraw the confirmation.' },
  stale: { title: 'Changed since it was confirmed: not confirmed. Click (or Ctrl+Enter) to save and confirm the new text.' },
  unconfirmed: { title: 'Not confirmed. Click (or Ctrl+Enter in the text) to confirm.' },
};

/**
 * The confirm toggle of one row (paragraph `index`, or -1 the title). Shown to
 * everyone; only those who may edit can press it. A confirmation whose text
 * was edited since shows as stale, which counts as unconfirmed.
 */
export function ConfirmToggle({ index, saved, mt, withLabel = false }: { index: number; saved: string; mt: string; withLabel?: boolean }) {
  const api = useConfirm();
  const value = useWatch({ name: index < 0 ? 'title' : `paragraphs.${index}.text` }) as string | undefined;
  if (!api) return null;
  const state = rowState({ index, saved, current: typeof value === 'string' ? value : saved, mt }, api.confirmedSaved);
  const what = index < 0 ? 'the title' : `paragraph ${index + 1}`;
  const look = LOOK[state];
  const label = state === 'confirmed' ? `Withdraw the confirmation of ${what}` : state === 'stale' ? `Confirm ${what} (changed since confirmed)` : `Confirm ${what}`;
  const icon = state === 'confirmed' ? <CheckCircleIcon fontSize="small" color="success" /> : state === 'stale' ? <ErrorOutlineIcon fontSize="small" color="warning" /> : <RadioButtonUncheckedIcon fontSize="small" color={api.editable ? 'action' : 'disabled'} />;
  const common = {
    'aria-label': label,
    'aria-pressed': state === 'confirmed',
    'data-testid': index < 0 ? 'confirm-title' : `confirm-${index}`,
    'data-state': state,
    disabled: !api.editable || !api.loaded,
    onClick: () => (state === 'confirmed' ? api.unconfirm(index) : api.confirm(index)),
  };
  return (
    <Tooltip title={api.editable ? look.title : state === 'confirmed' ? 'Confirmed' : state === 'stale' ? 'Changed since confirmed' : 'Not confirmed'}>
      <span>
        {withLabel ? (
          <Button size="small" startIcon={icon} color={state === 'confirmed' ? 'success' : state === 'stale' ? 'warning' : 'inherit'} sx={{ textTransform: 'none' }} {...common}>
            {state === 'confirmed' ? 'Title confirmed' : state === 'stale' ? 'Title changed since confirmed' : 'Title not confirmed'}
          </Button>
        ) : (
          <IconButton size="small" {...common}>
            {icon}
          </IconButton>
        )}
      </span>
    </Tooltip>
  );
}
