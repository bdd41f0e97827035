import { Box, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Datagrid, DateField, DateInput, List, SelectInput, TextField, TextInput, useGetOne, useRecordContext, type RaRecord } from 'react-admin';
import { DiffText } from '../articles/DiffText';
import { httpClient } from '../httpClient';
import { readingSx } from '../articles/ParagraphRow';
import type { ParagraphDiff } from '../types';

/** GET /api/audit-events/vocabulary: the actions and entities the server records, so the filters never fall behind it. */
interface AuditVocabulary {
  actions: string[];
  entities: string[];
}

function useAuditVocabulary() {
  return useQuery({
    queryKey: ['audit-events', 'vocabulary'],
    queryFn: async () => (await httpClient('/api/audit-events/vocabulary')).json as AuditVocabulary,
    staleTime: 5 * 60_000,
  });
}

const asChoices = (names: readonly string[] | undefined) => (names ?? []).map((id) => ({ id, name: id }));

function auditFilters(vocabulary: AuditVocabulary | undefined, loading: boolean) {
  return [
    <TextInput key="actorName" source="actorName" label="Username" alwaysOn />,
    <SelectInput key="action" source="action" label="Action" choices={asChoices(vocabulary?.actions)} isPending={loading} alwaysOn />,
    <SelectInput key="entity" source="entity" label="Entity" choices={asChoices(vocabulary?.entities)} isPending={loading} />,
    <TextInput key="entityId" source="entityId" label="Entity id (e.g. article #)" alwaysOn />,
    <DateInput key="at_gte" source="at_gte" label="From" alwaysOn />,
    <DateInput key="at_lte" source="at_lte" label="To" alwaysOn />,
  ];
}

interface AuditEvent extends RaRecord {
  at: string;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  hash?: string;
  prevHash?: string;
}

type RevisionDiffs = { title?: { prev?: ParagraphDiff | null }; paragraphs?: { prev?: ParagraphDiff | null; mt?: ParagraphDiff }[] };

/** Finds the revision diffs in GET /api/audit-events/:id, wherever the server put them. */
function diffsOf(event: Record<string, unknown>): RevisionDiffs | null {
  const rev = (event.revision ?? null) as { diffs?: RevisionDiffs } | null;
  const d = (rev?.diffs ?? event.diffs ?? null) as RevisionDiffs | null;
  return d && Array.isArray(d.paragraphs) ? d : null;
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span>—</span>;
  if (typeof value === 'object') return <Box component="pre" sx={{ m: 0, whiteSpace: 'pre-wrap', fontSize: '0.85rem' }}>{JSON.stringify(value, null, 2)}</Box>;
  return <span>{String(value)}</span>;
}

/** The expanded row: every data field as text and, for saves, the revision's word diff against the previous text. */
function AuditEventDetails() {
  const row = useRecordContext<AuditEvent>();
  const { data: event, isPending, error } = useGetOne<AuditEvent>('audit-events', { id: row?.id ?? '' }, { enabled: row !== undefined });
  if (!row) return null;
  if (isPending) return <Typography color="text.secondary">Loading…</Typography>;
  if (error || !event) return <Typography color="error">Could not load the event.</Typography>;
  const diffs = diffsOf(event as unknown as Record<string, unknown>);
  return (
    <Box sx={{ p: 1 }} data-testid="audit-details">
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0 }}>
        {Object.entries(event.data ?? {}).map(([k, v]) => (
          <Box key={k} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {k}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0 }}>
              <Value value={v} />
            </Typography>
          </Box>
        ))}
        {event.ip ? (
          <>
            <Typography component="dt" variant="body2" color="text.secondary">
              ip
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0 }}>
              {event.ip}
            </Typography>
          </>
        ) : null}
        {event.hash ? (
          <>
            <Typography component="dt" variant="body2" color="text.secondary">
              hash
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, fontFamily: 'monospace', fontSize: '0.8rem' }}>
              {event.hash}
            </Typography>
          </>
        ) : null}
      </Box>
      {event.entity === 'article' && event.entityId ? (
        <Typography variant="body2" sx={{ mt: 1 }}>
          <Link to={`/articles/${event.entityId}/show`}>Open article #{event.entityId}</Link>
        </Typography>
      ) : null}
      {diffs ? (
        <Box sx={{ mt: 2 }} data-testid="audit-diff">
          <Typography variant="subtitle2">Changes in this save</Typography>
          {diffs.title?.prev && diffs.title.prev.parts.some((p) => p.op !== 'eq') ? (
            <Box sx={{ ...readingSx, mt: 1 }}>
              <Typography variant="caption" color="text.secondary">
                Title
              </Typography>
              <DiffText parts={diffs.title.prev.parts} />
            </Box>
          ) : null}
          {diffs.paragraphs?.map((p, i) =>
            p.prev && p.prev.parts.some((x) => x.op !== 'eq') ? (
              <Box key={i} sx={{ ...readingSx, mt: 1 }}>
                <Typography variant="caption" color="text.secondary">
                  Paragraph {i + 1}
                </Typography>
                <DiffText parts={p.prev.parts} />
              </Box>
            ) : null,
          )}
        </Box>
      ) : null}
    </Box>
  );
}

/** The audit log (auditors and admins): filter by user, action, entity and time; rows expand to their details. */
export function AuditEventList() {
  const { data: vocabulary, isPending } = useAuditVocabulary();
  return (
    <List filters={auditFilters(vocabulary, isPending)} sort={{ field: 'at', order: 'DESC' }} perPage={50} exporter={false} title="Audit log">
      <Datagrid expand={<AuditEventDetails />} rowClick="expand" bulkActionButtons={false} expandSingle>
        <TextField source="id" label="#" sortable={false} />
        <DateField source="at" label="When" showTime options={{ dateStyle: 'medium', timeStyle: 'medium' }} />
        <TextField source="actorName" label="User" sortable={false} />
        <TextField source="action" sortable={false} />
        <TextField source="entity" sortable={false} />
        <TextField source="entityId" label="Entity id" sortable={false} emptyText="—" />
        <TextField source="ip" label="IP" sortable={false} emptyText="—" />
      </Datagrid>
    </List>
  );
}

export default AuditEventList;
