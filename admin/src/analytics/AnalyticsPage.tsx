import { useState } from 'react';
import { Alert, Box, Card, CardContent, CardHeader, Chip, FormControl, InputLabel, MenuItem, Select, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Loading, Title, useDataProvider } from 'react-admin';
import { formatRate } from '../articles/statuses';
import type { CopydeskDataProvider } from '../dataProvider';
import { errorMessage } from '../httpClient';
import { EditRateChart, WeeklyTrendChart } from './AnalyticsCharts';
import { CorrectionsTable } from './CorrectionsTable';
import { EditorsTable } from './EditorsTable';

const WEEK_CHOICES = [4, 12, 26, 52];

function Section({ title, subheader, children, testId }: { title: string; subheader?: string; children: React.ReactNode; testId?: string }) {
  return (
    <Card variant="outlined" component="section" aria-label={title} data-testid={testId}>
      <CardHeader title={title} subheader={subheader} slotProps={{ title: { variant: 'h6', component: 'h2' } }} />
      <CardContent sx={{ pt: 0 }}>{children}</CardContent>
    </Card>
  );
}

/**
 * Post-edit analytics: the edit-rate distribution, per-editor effort, the
 * weekly trend and the recurring corrections worth a glossary entry. Scoped by
 * the server: everyone's work for holders of analytics.read, otherwise the
 * caller's own.
 */
export default function AnalyticsPage() {
  const dataProvider = useDataProvider<CopydeskDataProvider>();
  const [weeks, setWeeks] = useState(12);
  const [minCount, setMinCount] = useState(2);
  const summary = useQuery({ queryKey: ['analytics', 'summary', weeks], queryFn: () => dataProvider.analyticsSummary(weeks) });
  const corrections = useQuery({ queryKey: ['analytics', 'corrections', minCount], queryFn: () => dataProvider.recurringCorrections({ limit: 50, minCount }) });

  const s = summary.data;
  return (
    <Box sx={{ width: '100%', maxWidth: 1400, mx: 'auto', p: { xs: 1, md: 2 }, display: 'grid', gap: 2 }}>
      <Title title="Analytics" />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1">
          Post-edit analytics
        </Typography>
        {s ? <Chip data-testid="analytics-scope" color={s.scope === 'all' ? 'primary' : 'default'} label={s.scope === 'all' ? 'Everyone' : 'Your work'} /> : null}
        <Box sx={{ flex: 1 }} />
        <FormControl size="small" sx={{ width: 180, flexShrink: 0 }}>
          <InputLabel id="analytics-weeks">Period</InputLabel>
          <Select labelId="analytics-weeks" label="Period" value={weeks} onChange={(e) => setWeeks(Number(e.target.value))} inputProps={{ 'aria-label': 'Period' }}>
            {WEEK_CHOICES.map((w) => (
              <MenuItem key={w} value={w}>
                Last {w} weeks
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Stack>
      {summary.error ? <Alert severity="error">{errorMessage(summary.error)}</Alert> : null}
      {summary.isPending ? <Loading /> : null}
      {s ? (
        <>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1.4fr' } }}>
            <Section
              title="Edit rate of edited articles"
              subheader={`${s.editRate.articles} article${s.editRate.articles === 1 ? '' : 's'} · mean ${formatRate(s.editRate.mean)} · median ${formatRate(s.editRate.median)} · p90 ${formatRate(s.editRate.p90)}`}
              testId="edit-rate-section"
            >
              <EditRateChart buckets={s.editRate.buckets} />
            </Section>
            <Section title="Weekly trend" subheader="Revisions and approvals per week, with the mean edit rate of the week's revisions" testId="weekly-section">
              <WeeklyTrendChart weeks={s.weeks} />
            </Section>
          </Box>
          <Section title={s.scope === 'all' ? 'Editors' : 'Your editing'} subheader={`Over the last ${weeks} weeks`}>
            <EditorsTable editors={s.editors} />
          </Section>
        </>
      ) : null}
      <Section title="Recurring corrections" subheader="MT phrases that editors replaced the same way in approved articles" testId="corrections-section">
        <TextField
          type="number"
          size="small"
          label="Seen at least"
          value={minCount}
          onChange={(e) => setMinCount(Math.max(1, Number(e.target.value) || 1))}
          slotProps={{ htmlInput: { min: 1, max: 1000 } }}
          sx={{ mb: 1.5, width: 140 }}
        />
        {corrections.error ? <Alert severity="error">{errorMessage(corrections.error)}</Alert> : null}
        {corrections.isPending ? <Loading /> : corrections.data ? <CorrectionsTable rows={corrections.data} /> : null}
      </Section>
    </Box>
  );
}
