import { useEffect, useState, type ReactNode } from 'react';
import { useNotify } from 'react-admin';
import { errorMessage } from '../../httpClient';
import { useConfirm, type SubmitCheck } from './ConfirmContext';
import { SubmitWarningDialog } from './SubmitWarningDialog';

/**
 * Submit for review, asking first when paragraphs are unconfirmed or error
 * findings open (read fresh from the server, so a save a moment ago counts).
 * Also registers the action for the keyboard shortcut while `allowed`.
 * Outside the editor workspace it submits directly.
 */
export function useGuardedSubmit(allowed: boolean, submit: () => void, busy: boolean): { start: () => void; checking: boolean; dialog: ReactNode } {
  const api = useConfirm();
  const notify = useNotify();
  const [check, setCheck] = useState<SubmitCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const start = () => {
    if (!api) return submit();
    setChecking(true);
    api
      .submitCheck()
      .then((c) => (c.lines.length === 0 ? submit() : setCheck(c)))
      .catch((e: unknown) => notify(errorMessage(e), { type: 'error' }))
      .finally(() => setChecking(false));
  };
  // Re-registered on every render: the shortcut must submit the version on screen.
  useEffect(() => {
    api?.registerSubmit(allowed ? start : null);
    return () => api?.registerSubmit(null);
  });
  const dialog = (
    <SubmitWarningDialog
      check={check}
      busy={busy}
      onCancel={() => setCheck(null)}
      onSubmit={() => {
        setCheck(null);
        submit();
      }}
    />
  );
  return { start, checking, dialog };
}
