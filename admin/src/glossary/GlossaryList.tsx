import { lazy, Suspense, useState } from 'react';
import { Button, Chip, Stack } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import UploadIcon from '@mui/icons-material/Upload';
import { CreateButton, Datagrid, DateField, FunctionField, List, SearchInput, TextField, TopToolbar } from 'react-admin';
import { useRole } from '../useRole';

const GlossaryImportDialog = lazy(() => import('./GlossaryImportDialog').then((m) => ({ default: m.GlossaryImportDialog })));
import type { GlossaryRecord } from './types';

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search terms, variants, notes" />];

function Actions() {
  const canManage = useRole().allows('glossary.manage');
  const [importing, setImporting] = useState(false);
  return (
    <TopToolbar>
      {canManage ? <CreateButton /> : null}
      {/* A plain link: the browser downloads with the session cookie, no JS needed for a GET. */}
      <Button size="small" startIcon={<DownloadIcon />} href="/api/glossary/export.csv" download="glossary.csv">
        Export CSV
      </Button>
      {canManage ? (
        <>
          <Button size="small" startIcon={<UploadIcon />} onClick={() => setImporting(true)}>
            Import CSV
          </Button>
          {importing ? (
            <Suspense fallback={null}>
              <GlossaryImportDialog open onClose={() => setImporting(false)} />
            </Suspense>
          ) : null}
        </>
      ) : null}
    </TopToolbar>
  );
}

/** The glossary: everyone reads it; reviewers and admins open rows to edit. */
export function GlossaryList() {
  const canManage = useRole().allows('glossary.manage');
  return (
    <List filters={filters} sort={{ field: 'term', order: 'ASC' }} actions={<Actions />} exporter={false} perPage={50}>
      <Datagrid rowClick={canManage ? 'edit' : false} bulkActionButtons={false}>
        <TextField source="term" />
        <TextField source="preferred" label="Preferred" sortable={false} />
        <FunctionField<GlossaryRecord>
          label="Forbidden variants"
          sortable={false}
          render={(r) => (
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
              {r.forbidden.map((v) => (
                <Chip key={v} label={v} size="small" color="error" variant="outlined" />
              ))}
            </Stack>
          )}
        />
        <TextField source="sourceTerm" label="Source term" sortable={false} emptyText="—" />
        <FunctionField<GlossaryRecord> label="Note" sortable={false} render={(r) => (r.note.length > 80 ? `${r.note.slice(0, 80)}…` : r.note)} />
        <DateField source="updatedAt" label="Updated" />
      </Datagrid>
    </List>
  );
}
