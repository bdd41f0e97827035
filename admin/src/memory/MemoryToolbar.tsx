import { useState } from 'react';
import { Button, FormControlLabel, Switch, Tooltip } from '@mui/material';
import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import { ConcordanceDialog } from './ConcordanceDialog';
import { TM_SHORTCUT } from './MemoryContext';

/** The editor toolbar's memory controls: show the per-paragraph memory, and open the concordance (prefilled with the selected text). */
export function MemoryToolbar({ show, onShow, sourceLang, targetLang }: { show: boolean; onShow: (v: boolean) => void; sourceLang: string | null; targetLang: string | null }) {
  const [open, setOpen] = useState(false);
  const [initial, setInitial] = useState('');
  const [opened, setOpened] = useState(0);
  return (
    <>
      <Tooltip title={`Glossary terms and translation-memory matches under each paragraph; ${TM_SHORTCUT}+1…5 inserts a match into the focused paragraph`}>
        <FormControlLabel control={<Switch checked={show} onChange={(e) => onShow(e.target.checked)} />} label="Show memory and glossary" />
      </Tooltip>
      <Button
        size="small"
        startIcon={<ManageSearchIcon />}
        onClick={() => {
          const el = document.activeElement;
          const selected = el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement ? el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0) : (window.getSelection()?.toString() ?? '');
          setInitial(selected.trim().slice(0, 200));
          setOpened(opened + 1);
          setOpen(true);
        }}
      >
        Concordance
      </Button>
      <ConcordanceDialog key={opened} open={open} onClose={() => setOpen(false)} initial={initial} sourceLang={sourceLang} targetLang={targetLang} />
    </>
  );
}
