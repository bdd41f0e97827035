import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsSummary } from './types';

const pct = (r: number) => `${Math.round(r * 100)} %`;

/** "0–5 %", "100 %+" for the open last bucket. */
export function bucketLabel(b: { from: number; to: number | null }): string {
  return b.to === null ? `${pct(b.from)}+` : `${Math.round(b.from * 100)}–${pct(b.to)}`;
}

/** How many articles fall in each edit-rate band. */
export function EditRateChart({ buckets }: { buckets: AnalyticsSummary['editRate']['buckets'] }) {
  const data = buckets.map((b) => ({ band: bucketLabel(b), articles: b.count }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="band" tick={{ fontSize: 11 }} interval={0} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={36} />
        <Tooltip />
        <Bar dataKey="articles" name="Articles" fill="#3f6fb5" radius={[3, 3, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Revisions and approvals per week (bars, left axis) with the mean edit rate (line, right axis). */
export function WeeklyTrendChart({ weeks }: { weeks: AnalyticsSummary['weeks'] }) {
  const data = weeks.map((w) => ({
    week: new Date(w.start).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
    revisions: w.revisions,
    approved: w.articlesApproved,
    editRate: w.meanEditRate === null ? null : Math.round(w.meanEditRate * 1000) / 10,
  }));
  return (
    <ResponsiveContainer width="100%" height={280}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tick={{ fontSize: 12 }} />
        <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12 }} width={36} />
        <YAxis yAxisId="rate" orientation="right" unit=" %" tick={{ fontSize: 12 }} width={48} />
        <Tooltip />
        <Legend />
        <Bar yAxisId="count" dataKey="revisions" name="Revisions" fill="#8fb0de" isAnimationActive={false} />
        <Bar yAxisId="count" dataKey="approved" name="Approved" fill="#4caf78" isAnimationActive={false} />
        <Line yAxisId="rate" dataKey="editRate" name="Mean edit rate (%)" stroke="#d9822b" strokeWidth={2} dot connectNulls isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
