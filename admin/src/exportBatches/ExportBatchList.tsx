import { Datagrid, DateField, FunctionField, List, NumberField, SelectInput, TextField, type RaRecord } from 'react-admin';
import { BATCH_STATUS_CHOICES, BatchStatus } from '../importBatches/ImportBatchList';

/** Export runs, newest first (read-only). */
export function ExportBatchList() {
  return (
    <List sort={{ field: 'startedAt', order: 'DESC' }} exporter={false} filters={[<SelectInput key="status" source="status" choices={BATCH_STATUS_CHOICES} alwaysOn />]} title="Export batches">
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="id" label="#" />
        <FunctionField source="status" render={(r: RaRecord) => <BatchStatus status={String(r.status)} />} />
        <TextField source="format" />
        <TextField source="exporterName" label="Run by" sortable={false} />
        <DateField source="startedAt" label="Started" showTime />
        <DateField source="finishedAt" label="Finished" showTime emptyText="—" />
        <NumberField source="articleCount" label="Articles" />
        <TextField source="outDir" label="Folder" sortable={false} />
        <FunctionField label="Manifest sha256" render={(r: RaRecord) => (r.manifestSha256 ? <code title={String(r.manifestSha256)}>{String(r.manifestSha256).slice(0, 12)}…</code> : '—')} />
      </Datagrid>
    </List>
  );
}
