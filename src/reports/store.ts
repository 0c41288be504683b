/**
 * The report store: the only write path of Outage Radar. Two implementations share this contract
 * and one test suite: node:sqlite (embedded default, `sqlite-store.ts`) and PostgreSQL for several
 * app nodes (`pg-store.ts`). Rate limiting and duplicate suppression happen inside the store's
 * transaction, so they hold across nodes that share a database.
 */
import type { ServiceId } from '../domain/services.ts';
import type { AddResult, BucketCounts, NewReport, ReportAggregate } from './report.ts';

export interface ReportStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Applies the rate limit (per client and minute, every attempt counts), then duplicate suppression
   * (first report per client, service and window), then stores the report. Resolves only after the
   * outcome is durably committed. Rejects with ReportStoreError when the store cannot commit.
   */
  add(report: NewReport): Promise<AddResult>;
  /** Accepted reports of one service per bucket from `from` (aligned down) up to `to` (exclusive). */
  countsByBucket(service: ServiceId, from: Date, to: Date, bucketMinutes: number): Promise<BucketCounts>;
  /** Counts per service with problem types and bounce codes, `from` inclusive, `to` exclusive. */
  aggregate(from: Date, to: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>>;
  /** `aggregate` over the hour before `now` (no personal data: safe to publish). */
  recentAggregate(now: Date): Promise<Partial<Record<ServiceId, ReportAggregate>>>;
  /**
   * Since when the store has been receiving: the earlier of its creation and its oldest report.
   * Buckets before it are missing data, not quiet ones. Null for an empty store created later.
   */
  coverageStart(): Promise<Date | null>;
  /**
   * Forgets client ids whose window ended before `now` and reports received before `reportsBefore`.
   * Returns the number of reports removed.
   */
  prune(now: Date, reportsBefore: Date): Promise<number>;
  /** A secret shared by all nodes of this store (PostgreSQL only); see client-id.ts. */
  sharedSecret?(): Promise<string>;
  /** Commits what is pending, then releases the database. */
  close(): Promise<void>;
}

/** Zero-filled aggregate for services with no reports. */
export function emptyAggregate(): ReportAggregate {
  return { count: 0, problemTypes: {}, codes: {} };
}
