import { Box, Card, CardActionArea, CardContent, CardHeader, List, ListItem, ListItemButton, ListItemText, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Title, useDataProvider, useGetIdentity, useGetList, useGetMany } from 'react-admin';
import { StatusChip } from '../articles/StatusChip';
import { formatRate, OPEN_STATUSES, STATUS_LABELS, STATUSES } from '../articles/statuses';
import type { CopydeskDataProvider } from '../dataProvider';
import { useRole } from '../useRole';
import type { ArticleRow, ArticleStatus, StatusChangeRow } from '../types';

const listLink = (filter: Record<string, unknown>) => `/articles?filter=${encodeURIComponent(JSON.stringify(filter))}`;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Writers open the editor; auditors have only the read-only page. */
function useArticlePath(): (id: number) => string {
  const canWrite = useRole().allows('article.edit');
  return (id) => (canWrite ? `/articles/${id}` : `/articles/${id}/show`);
}

function ArticleQueue({ title, filter, empty }: { title: string; filter: Record<string, unknown>; empty: string }) {
  const pathOf = useArticlePath();
  const { data = [], total, isPending } = useGetList<ArticleRow>('articles', { filter, sort: { field: 'updatedAt', order: 'DESC' }, pagination: { page: 1, perPage: 8 } });
  return (
    <Card variant="outlined" component="section" aria-label={title}>
      <CardHeader title={title} titleTypographyProps={{ variant: 'h6', component: 'h2' }} subheader={isPending ? 'Loading…' : `${total ?? 0} article${total === 1 ? '' : 's'}`} action={<Link to={listLink(filter)}>See all</Link>} />
      <List dense disablePadding>
        {!isPending && data.length === 0 ? (
          <ListItem>
            <ListItemText secondary={empty} />
          </ListItem>
        ) : null}
        {data.map((a) => (
          <ListItemButton key={a.id} component={Link} to={pathOf(a.id)}>
            <ListItemText primary={a.title} secondary={`#${a.id} · updated ${when(a.updatedAt)} · edit rate ${formatRate(a.editRate)}`} slotProps={{ primary: { noWrap: true } }} />
            <StatusChip status={a.status} />
          </ListItemButton>
        ))}
      </List>
    </Card>
  );
}

function RecentActivity() {
  const pathOf = useArticlePath();
  const { data = [], isPending } = useGetList<StatusChangeRow>('status-changes', { sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 10 } });
  const ids = [...new Set(data.map((s) => s.articleId))];
  const { data: articles = [] } = useGetMany<ArticleRow>('articles', { ids }, { enabled: ids.length > 0 });
  const titles = new Map(articles.map((a) => [a.id, a.title]));
  return (
    <Card variant="outlined" component="section" aria-label="Recent activity">
      <CardHeader title="Recent activity" titleTypographyProps={{ variant: 'h6', component: 'h2' }} subheader="Status changes, newest first" />
      <List dense disablePadding>
        {!isPending && data.length === 0 ? (
          <ListItem>
            <ListItemText secondary="Nothing has happened yet." />
          </ListItem>
        ) : null}
        {data.map((s) => (
          <ListItemButton key={s.id} component={Link} to={pathOf(s.articleId)}>
            <ListItemText
              primary={titles.get(s.articleId) ?? `Article #${s.articleId}`}
              slotProps={{ primary: { noWrap: true } }}
              secondary={`${s.actorName ?? 'system'} · ${s.fromStatus ? STATUS_LABELS[s.fromStatus] : 'new'} → ${STATUS_LABELS[s.toStatus]} · ${when(s.createdAt)}${s.note ? ` · “${s.note}”` : ''}`}
            />
          </ListItemButton>
        ))}
      </List>
    </Card>
  );
}

/** The landing page: counts by status, my queue, what awaits my review, recent activity and this week's edit rate. */
export function Dashboard() {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const { identity } = useGetIdentity();
  const { allows } = useRole();
  const canWrite = allows('article.edit');
  const { data: summary } = useQuery({ queryKey: ['stats', 'summary'], queryFn: () => dataProvider.summary() });
  return (
    <Box sx={{ p: { xs: 1, md: 2 }, maxWidth: 1400 }}>
      <Title title="Dashboard" />
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {identity ? `Good to see you, ${identity.fullName}` : 'Dashboard'}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'repeat(2, 1fr)', md: 'repeat(4, 1fr)', xl: 'repeat(8, 1fr)' }, gap: 1.5, mb: 3 }} data-testid="status-counts">
        {STATUSES.map((s: ArticleStatus) => (
          <Card key={s} variant="outlined">
            <CardActionArea component={Link} to={listLink({ status: [s] })} sx={{ height: '100%' }}>
              <CardContent sx={{ py: 1.5 }}>
                <StatusChip status={s} />
                <Typography variant="h4" component="p" sx={{ mt: 1, fontVariantNumeric: 'tabular-nums' }} data-count={s}>
                  {summary ? summary.countsByStatus[s] ?? 0 : '…'}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
        <Card variant="outlined" sx={{ bgcolor: 'grey.50' }}>
          <CardContent sx={{ py: 1.5 }}>
            <Typography variant="body2" color="text.secondary">
              Average edit rate, last 7 days
            </Typography>
            <Typography variant="h4" component="p" sx={{ mt: 1 }} data-testid="avg-edit-rate">
              {summary ? formatRate(summary.avgEditRateThisWeek) : '…'}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {summary ? `${summary.revisionsThisWeek} revisions` : ''}
            </Typography>
          </CardContent>
        </Card>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: canWrite ? '1fr 1fr' : '1fr' }, gap: 2, alignItems: 'start' }}>
        {canWrite ? (
          <Box sx={{ display: 'grid', gap: 2 }}>
            <ArticleQueue title={`My queue${summary ? ` (${summary.myQueue})` : ''}`} filter={{ assigneeId: 'me', status: OPEN_STATUSES }} empty="Nothing is assigned to you." />
            {allows('article.approve') ? <ArticleQueue title={`Waiting for review${summary ? ` (${summary.awaitingReview})` : ''}`} filter={{ status: ['in_review'] }} empty="No article is waiting for review." /> : null}
          </Box>
        ) : null}
        <RecentActivity />
      </Box>
    </Box>
  );
}

export default Dashboard;
