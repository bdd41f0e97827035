import type { Db } from '../db/client';
import type { UserActor } from '../auth/context';
import { STATUSES, type ArticleStatus } from '../../shared/workflow';

/** `GET /api/stats/summary`: the dashboard numbers. */
export interface StatsSummary {
  countsByStatus: Record<ArticleStatus, number>;
  /** Articles assigned to the caller that still need work (not approved, exported or archived). */
  myQueue: number;
  /** Articles in review. */
  awaitingReview: number;
  /** Mean editRate of `edit` revisions saved in the last 7 days; null when there were none. */
  avgEditRateThisWeek: number | null;
  /** Revisions people made in the last 7 days (edits, restores, bulk replaces; imports excluded). */
  revisionsThisWeek: number;
}

/** Dashboard summary for `actor`. Every count is one indexed aggregate; nothing is loaded row by row. */
export async function statsSummary(db: Db, actor: UserActor): Promise<StatsSummary> {
  const weekAgo = new Date(Date.now() - 7 * 86_400_000);
  const [byStatus, myQueue, week, revisionsThisWeek] = await Promise.all([
    db.article.groupBy({ by: ['status'], _count: { _all: true } }),
    db.article.count({ where: { assigneeId: actor.id, status: { notIn: ['approved', 'exported', 'archived'] } } }),
    db.revision.aggregate({ where: { kind: 'edit', createdAt: { gte: weekAgo } }, _avg: { editRate: true } }),
    db.revision.count({ where: { kind: { in: ['edit', 'restore', 'bulk_replace'] }, createdAt: { gte: weekAgo } } }),
  ]);
  const countsByStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ArticleStatus, number>;
  for (const row of byStatus) countsByStatus[row.status] = row._count._all;
  const avg = week._avg.editRate;
  return {
    countsByStatus,
    myQueue,
    awaitingReview: countsByStatus.in_review,
    avgEditRateThisWeek: avg === null ? null : Math.round(avg * 10_000) / 10_000,
    revisionsThisWeek,
  };
}
