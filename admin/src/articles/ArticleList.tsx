import { useState } from 'react';
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, TextField as MuiTextField } from '@mui/material';
import ArchiveIcon from '@mui/icons-material/Archive';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import { useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router-dom';
import {
  AutocompleteInput,
  Button,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  SearchInput,
  SelectArrayInput,
  TextField,
  useDataProvider,
  useGetIdentity,
  useGetList,
  useListContext,
  useNotify,
  useUnselectAll,
  useUpdateMany,
} from 'react-admin';
import type { CopydeskDataProvider } from '../dataProvider';
import { errorMessage } from '../httpClient';
import type { Action } from '../../../shared/permissions';
import type { ArticleRow } from '../types';
import { useRole } from '../useRole';
import { StatusChip } from './StatusChip';
import { formatRate, STATUS_CHOICES } from './statuses';

/** What /api/assignees answers: active users who can be given an article. */
interface Assignee {
  id: number;
  displayName: string;
}

function AssigneeFilter(props: { source: string; label?: string; alwaysOn?: boolean }) {
  const { data = [] } = useGetList<Assignee>('assignees', {
    pagination: { page: 1, perPage: 500 },
    sort: { field: 'displayName', order: 'ASC' },
  });
  const choices = [{ id: 'me', name: 'Mine' }, ...data.map((u) => ({ id: u.id, name: u.displayName }))];
  return <AutocompleteInput {...props} choices={choices} label="Assignee" sx={{ minWidth: 200 }} />;
}

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search title and text" />,
  <SelectArrayInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn variant="outlined" sx={{ minWidth: 220 }} />,
  <AssigneeFilter key="assigneeId" source="assigneeId" alwaysOn />,
  <NumberInput key="importBatchId" source="importBatchId" label="Import batch #" />,
];

/** Assign every selected article to `assigneeId` with one PUT per article. */
function useBulkAssign() {
  const { selectedIds } = useListContext();
  const [updateMany, { isPending }] = useUpdateMany();
  const notify = useNotify();
  const unselectAll = useUnselectAll('articles');
  const assign = (assigneeId: number, who: string) =>
    updateMany(
      'articles',
      { ids: selectedIds, data: { assigneeId } },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          notify(`${selectedIds.length} article(s) assigned to ${who}.`, { type: 'success' });
          unselectAll();
        },
        onError: (e) => notify(errorMessage(e), { type: 'error' }),
      },
    );
  return { assign, isPending };
}

function AssignToMeButton() {
  const { identity } = useGetIdentity();
  const { assign, isPending } = useBulkAssign();
  return <Button label="Assign to me" disabled={isPending || !identity} onClick={() => identity && assign(Number(identity.id), 'you')} startIcon={<AssignmentIndIcon />} />;
}

function AssignToUserButton() {
  const [open, setOpen] = useState(false);
  const [userId, setUserId] = useState<number | ''>('');
  const { data = [] } = useGetList<Assignee>('assignees', {
    pagination: { page: 1, perPage: 500 },
    sort: { field: 'displayName', order: 'ASC' },
  }, { enabled: open });
  const { assign, isPending } = useBulkAssign();
  const chosen = data.find((u) => u.id === userId);
  return (
    <>
      <Button label="Assign to…" onClick={() => setOpen(true)} startIcon={<PersonAddIcon />} />
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>Assign the selected articles</DialogTitle>
        <DialogContent>
          <MuiTextField select fullWidth label="Assignee" value={userId} onChange={(e) => setUserId(Number(e.target.value))} sx={{ mt: 1 }} id="bulk-assignee">
            {data.map((u) => (
              <MenuItem key={u.id} value={u.id}>
                {u.displayName}
              </MenuItem>
            ))}
          </MuiTextField>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>Cancel</MuiButton>
          <MuiButton
            variant="contained"
            disabled={!chosen || isPending}
            onClick={async () => {
              if (!chosen) return;
              await assign(chosen.id, chosen.displayName);
              setOpen(false);
            }}
          >
            Assign
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

function BulkArchiveButton() {
  const { selectedIds, data = [] } = useListContext<ArticleRow>();
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const notify = useNotify();
  const unselectAll = useUnselectAll('articles');
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const run = async () => {
    setBusy(true);
    const results = await Promise.allSettled(
      selectedIds.map((id) => {
        const row = data.find((r) => r.id === id);
        if (!row) return Promise.reject(new Error(`Article ${id} is not on this page.`));
        return dataProvider.transition(row.id, { to: 'archived', version: row.version });
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    await queryClient.invalidateQueries({ queryKey: ['articles'] });
    setBusy(false);
    setConfirm(false);
    unselectAll();
    if (failed.length === 0) notify(`${results.length} article(s) archived.`, { type: 'success' });
    else notify(`${results.length - failed.length} archived, ${failed.length} refused: ${errorMessage(failed[0].reason)}`, { type: 'warning' });
  };
  return (
    <>
      <Button label="Archive" onClick={() => setConfirm(true)} startIcon={<ArchiveIcon />} disabled={busy} />
      <Dialog open={confirm} onClose={() => setConfirm(false)}>
        <DialogTitle>Archive {selectedIds.length} article(s)?</DialogTitle>
        <DialogContent>Archived articles are read-only until an admin unarchives them.</DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setConfirm(false)}>Cancel</MuiButton>
          <MuiButton variant="contained" color="warning" onClick={run} disabled={busy}>
            Archive
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

function BulkActions({ allows }: { allows: (action: Action) => boolean }) {
  return (
    <>
      <AssignToMeButton />
      {allows('article.assign.any') ? <AssignToUserButton /> : null}
      {allows('article.archive') ? <BulkArchiveButton /> : null}
    </>
  );
}

export function ArticleList() {
  const { allows } = useRole();
  const writer = allows('article.edit');
  return (
    <List filters={filters} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25} exporter={false} title="Articles">
      <Datagrid rowClick={writer ? 'edit' : 'show'} bulkActionButtons={writer ? <BulkActions allows={allows} /> : false} sx={{ '& .column-title': { maxWidth: 520 } }}>
        <TextField source="id" label="#" />
        <FunctionField<ArticleRow>
          source="title"
          label="Title"
          render={(r) => (
            // A real link: Tab reaches every row and Enter opens it, without a mouse.
            <RouterLink
              to={writer ? `/articles/${r.id}` : `/articles/${r.id}/show`}
              onClick={(e) => e.stopPropagation()}
              data-article-link={r.id}
              style={{ color: 'inherit', fontWeight: 500, textDecoration: 'none' }}
              className="article-link"
            >
              {r.title}
            </RouterLink>
          )}
        />
        <StatusChip source="status" label="Status" sortBy="status" />
        <TextField source="assigneeName" label="Assignee" sortBy="assigneeId" emptyText="—" />
        <DateField source="updatedAt" label="Updated" showTime options={{ dateStyle: 'medium', timeStyle: 'short' }} />
        <FunctionField<ArticleRow> source="editRate" label="Edit rate" sortBy="editRate" render={(r) => formatRate(r.editRate)} textAlign="right" />
        <NumberField source="wordCount" label="Words" />
      </Datagrid>
    </List>
  );
}
