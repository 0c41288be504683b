/**
 * Opens the configured report store: PostgreSQL when OUTAGE_RADAR_REPORTS_DATABASE_URL is set
 * (schema from OUTAGE_RADAR_REPORTS_DATABASE_SCHEMA, default `outage_radar`), otherwise
 * node:sqlite at `<dataDir>/reports.db`. Also builds the client hasher with the right secret.
 */
import { dataPaths } from '../store/data-store.ts';
import type { LoadedConfig } from '../config/load.ts';
import { ClientHasher, resolveReportSecret } from './client-id.ts';
import { PgReportStore } from './pg-store.ts';
import type { ReportPolicy } from './report.ts';
import { SqliteReportStore } from './sqlite-store.ts';
import type { ReportStore } from './store.ts';

export function reportPolicy(config: Pick<LoadedConfig, 'reports'>): ReportPolicy {
  return { dedupWindowMinutes: config.reports.dedupWindowMinutes, rateLimitPerMinute: config.reports.rateLimitPerMinute };
}

export async function openReportStore(
  config: Pick<LoadedConfig, 'reports' | 'dataDirAbs'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReportStore> {
  const url = env.OUTAGE_RADAR_REPORTS_DATABASE_URL;
  if (url) {
    return PgReportStore.open(url, reportPolicy(config), { schema: env.OUTAGE_RADAR_REPORTS_DATABASE_SCHEMA || undefined });
  }
  return SqliteReportStore.open(dataPaths(config.dataDirAbs).reportsDb, reportPolicy(config), {
    synchronous: config.reports.sqliteSynchronous,
    maxClients: config.reports.maxTrackedClients,
  });
}

/** The hasher for client ids, with the secret from the environment, the store or the data dir. */
export async function createClientHasher(
  config: Pick<LoadedConfig, 'reports' | 'dataDirAbs'>,
  store: ReportStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ClientHasher> {
  const secret = await resolveReportSecret({
    env,
    dataDir: config.dataDirAbs,
    sharedSecret: store.sharedSecret ? () => store.sharedSecret!() : undefined,
  });
  return new ClientHasher(secret, config.reports.saltRotationHours);
}
