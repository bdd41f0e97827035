import { useCallback, useState } from 'react';
import { FormControlLabel, Stack, Switch, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { MemoryToolbar } from '../memory/MemoryToolbar';
import { parseView, VIEW_STORAGE_KEY, type DiffMode, type Density, type EditorView } from './editorView';

function readStored(): string | null {
  try {
    return window.localStorage.getItem(VIEW_STORAGE_KEY);
  } catch {
    // Storage can be disabled (private mode, a policy): the defaults apply.
    return null;
  }
}

/** The editor's view settings, remembered in localStorage across articles and visits. */
export function useEditorView(): [EditorView, (patch: Partial<EditorView>) => void] {
  const [view, setView] = useState<EditorView>(() => parseView(readStored()));
  const update = useCallback((patch: Partial<EditorView>) => {
    setView((prev) => {
      const next = { ...prev, ...patch };
      try {
        window.localStorage.setItem(VIEW_STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Not remembered, but still applied for this page.
      }
      return next;
    });
  }, []);
  return [view, update];
}

const small = { py: 0.25, px: 1, textTransform: 'none', fontSize: '0.8rem' } as const;

interface Props {
  view: EditorView;
  onChange: (patch: Partial<EditorView>) => void;
  editable: boolean;
  hasSource: boolean;
  sourceLang: string | null;
  targetLang: string | null;
}

/** The editor's view controls: the word diff, findings, columns, density, and the memory controls. */
export function EditorToolbar({ view, onChange, editable, hasSource, sourceLang, targetLang }: Props) {
  return (
    <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5, mb: 1 }} data-testid="editor-toolbar">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="body2" id="diff-mode-label">
          Changes
        </Typography>
        <ToggleButtonGroup size="small" exclusive value={view.diff} onChange={(_e, v: DiffMode | null) => v && onChange({ diff: v })} aria-labelledby="diff-mode-label">
          <ToggleButton value="off" sx={small} aria-label="Hide changes">
            Off
          </ToggleButton>
          <ToggleButton value="mt" sx={small} aria-label="Show changes against the MT">
            Against MT
          </ToggleButton>
          {editable ? (
            <ToggleButton value="saved" sx={small} aria-label="Show changes since the last save">
              Since save
            </ToggleButton>
          ) : null}
        </ToggleButtonGroup>
      </Stack>
      <FormControlLabel control={<Switch size="small" checked={view.showQa} onChange={(e) => onChange({ showQa: e.target.checked })} />} label="Show quality findings" />
      {hasSource ? <FormControlLabel control={<Switch size="small" checked={view.showSource} onChange={(e) => onChange({ showSource: e.target.checked })} />} label="Source column" /> : null}
      <FormControlLabel control={<Switch size="small" checked={view.showMt} onChange={(e) => onChange({ showMt: e.target.checked })} />} label="MT column" />
      <ToggleButtonGroup size="small" exclusive value={view.density} onChange={(_e, v: Density | null) => v && onChange({ density: v })} aria-label="Density">
        <ToggleButton value="comfortable" sx={small}>
          Comfortable
        </ToggleButton>
        <ToggleButton value="compact" sx={small}>
          Compact
        </ToggleButton>
      </ToggleButtonGroup>
      <MemoryToolbar show={view.showMemory} onShow={(v) => onChange({ showMemory: v })} sourceLang={sourceLang} targetLang={targetLang} />
    </Stack>
  );
}
