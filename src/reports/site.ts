/**
 * What the pages need of the crowd report feature at build time: whether the form is shown and
 * the last cycle's crowd data (`data/crowd.json`). Loaded once per build process (per config file
 * and data dir), like the rest of the site data.
 */
import { loadConfig } from '../config/load.ts';
import type { ServiceId } from '../domain/services.ts';
import { crowdServiceOf, readCrowdData, type CrowdData, type CrowdService } from './crowd-data.ts';
import { isReportingEnabled } from './runtime.ts';

export interface ReportSite {
  /** Show the report form (a server receives reports: not static hosting, reports enabled). */
  formEnabled: boolean;
  crowd: CrowdData | null;
}

const cache = new Map<string, Promise<ReportSite>>();

export function getReportSite(): Promise<ReportSite> {
  const key = [process.env.OUTAGE_RADAR_CONFIG, process.env.OUTAGE_RADAR_DATA_DIR, process.env.OUTAGE_RADAR_STATIC].join('\u0000');
  let site = cache.get(key);
  if (!site) {
    site = (async () => {
      const config = await loadConfig();
      const formEnabled = isReportingEnabled(config);
      const crowd = formEnabled ? await readCrowdData(config.dataDirAbs) : null;
      return { formEnabled, crowd: crowd?.enabled ? crowd : null };
    })();
    cache.set(key, site);
  }
  return site;
}

/** The chart data of one service, or null when there is none (no cycle yet, reports off). */
export async function getCrowdService(id: ServiceId): Promise<{ service: CrowdService; data: CrowdData } | null> {
  const { crowd } = await getReportSite();
  const service = crowdServiceOf(crowd, id);
  return service && crowd ? { service, data: crowd } : null;
}
