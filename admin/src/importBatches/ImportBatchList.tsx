import { Box, Chip, Typography } from '@mui/material';
import { Datagrid, DateField, FunctionField, List, NumberField, SelectInput, TextField, useRecordContext, type RaRecord } from 'react-admin';

export const BATCH_STATUS_CHOICES = [
  { id: 'running', name: 'Running' },
  { id: 'completed', name: 'Completed' },
  { id: 'failed', name: 'Failed' },
];

/** A batch status as a chip. */
export function BatchStatus({ status }: { status: string }) {
  const color = status === 'completed' ? 'success' : status === 'failed' ? 'error' : 'info';
  return <Chip size="small" label={status} color={color} variant="outlined" />;
}

interface ImportBatch extends RaRecord {
  status: string;
  files: { path?: string; format?: string; status?: string; articles?: number; error?: string }[];
  failures: unknown[];
}

function ImportBatchDetails() {
  const b = useRecordContext<ImportBatch>();
  if (!b) return null;
  const failures = Array.isArray(b.failures) ? b.failures : [];
  const files = Array.isArray(b.files) ? b.files : [];
  return (
    <Box sx={{ p: 1 }}>
      {files.length ? <Typography variant="subtitle2">Files ({files.length})</Typography> : null}
      <Box component="ul" sx={{ mt: 0.5, display: files.length ? undefined : 'none' }}>
        {files.map((f, i) => (
          <li key={i}>
            <code>{f.path ?? '?'}</code> · {f.format ?? '?'} · {f.status ?? '?'}
            {f.articles !== undefined ? ` · ${f.articles} article(s)` : ''}
            {f.error ? <Typography component="span" color="error">{` · ${f.error}`}</Typography> : null}
          </li>
        ))}
      </Box>
      {failures.length ? (
        <>
          <Typography variant="subtitle2" color="error">
            Failures ({failures.length})
          </Typography>
          <Box component="ul" sx={{ mt: 0.5 }}>
            {failures.map((f, i) => {
              const o = (f ?? {}) as { path?: unknown; error?: unknown; message?: unknown };
              const where = typeof o.path === 'string' ? o.path : null;
              const why = typeof o.error === 'string' ? o.error : typeof o.message === 'string' ? o.message : typeof f === 'string' ? f : JSON.stringify(f);
              return (
                <li key={i}>
                  {where ? <code>{where}</code> : null}
                  {where ? ' — ' : null}
                  {why}
                </li>
              );
            })}
          </Box>
        </>
      ) : null}
    </Box>
  );
}

/** Import runs, newest first (read-only). */
export function ImportBatchList() {
  return (
    <List sort={{ field: 'startedAt', order: 'DESC' }} exporter={false} filters={[<SelectInput key="status" source="status" choices={BATCH_STATUS_CHOICES} alwaysOn />]} title="Import batches">
      <Datagrid bulkActionButtons={false} expand={<ImportBatchDetails />} rowClick="expand">
        <TextField source="id" label="#" />
        <TextField source="name" emptyText="—" />
        <FunctionField source="status" render={(r: ImportBatch) => <BatchStatus status={r.status} />} />
        <TextField source="importerName" label="Run by" sortable={false} />
        <DateField source="startedAt" label="Started" showTime />
        <DateField source="finishedAt" label="Finished" showTime emptyText="—" />
        <NumberField source="fileCount" label="Files" />
        <NumberField source="imported" />
        <NumberField source="updated" />
        <NumberField source="skipped" />
        <NumberField source="conflicts" />
        <NumberField source="failed" />
      </Datagrid>
    </List>
  );
}
