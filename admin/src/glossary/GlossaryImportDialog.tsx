import { useState, type ChangeEvent } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, FormControlLabel, FormLabel, Radio, RadioGroup, TextField, Typography } from '@mui/material';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { CopydeskDataProvider } from '../dataProvider';
import { errorMessage } from './glossaryErrors';

/**
 * Import a glossary CSV (header term,preferred,forbidden,sourceTerm,note):
 * pick a file or paste the text, merge into or replace the glossary. A bad
 * row is reported with the server's message, which names its line and field;
 * nothing is written then.
 */
export function GlossaryImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setCsv(await file.text());
    setFileName(file.name);
    setError(null);
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await dataProvider.importGlossary({ csv, mode });
      notify(`Imported ${r.rows} rows: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged${r.mode === 'replace' ? `, ${r.deleted} deleted` : ''}.`, { type: 'success' });
      refresh();
      setCsv('');
      setFileName(null);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="glossary-import-title">
      <DialogTitle id="glossary-import-title">Import glossary CSV</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          Header: <code>term,preferred,forbidden,sourceTerm,note</code>. Separate forbidden variants with “|”.
        </Typography>
        <Button component="label" variant="outlined" size="small" sx={{ mb: 1.5 }}>
          Choose a CSV file…
          <input hidden type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={(e) => void onFile(e)} />
        </Button>
        {fileName ? (
          <Typography variant="body2" component="span" sx={{ ml: 1 }}>
            {fileName}
          </Typography>
        ) : null}
        <TextField
          label="CSV text"
          value={csv}
          onChange={(e) => {
            setCsv(e.target.value);
            setFileName(null);
          }}
          multiline
          minRows={6}
          maxRows={16}
          fullWidth
          slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace', fontSize: '0.85rem' } } }}
        />
        <FormControl sx={{ mt: 1.5 }}>
          <FormLabel id="glossary-import-mode">Mode</FormLabel>
          <RadioGroup row aria-labelledby="glossary-import-mode" value={mode} onChange={(e) => setMode(e.target.value as 'merge' | 'replace')}>
            <FormControlLabel value="merge" control={<Radio />} label="Merge: add new terms, update existing ones" />
            <FormControlLabel value="replace" control={<Radio />} label="Replace: the file becomes the whole glossary" />
          </RadioGroup>
        </FormControl>
        {error ? (
          <Alert severity="error" sx={{ mt: 1.5 }} data-testid="glossary-import-error">
            {error}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || csv.trim() === ''}>
          {busy ? 'Importing…' : 'Import'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
