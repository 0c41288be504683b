/**
 * Incident pages (and redirect pages for merged-away ids), filled into the incident shell (see
 * page-shells.ts) from the pure renderer in render/incident.ts.
 */
import type { Incident } from '../domain/schemas.ts';
import type { Lang } from '../domain/vocabulary.ts';
import { useMessages } from '../i18n/index.ts';
import { escapeHtml } from './escape.ts';
import type { CompiledShell, PageJob, ShellValues } from './page-shells.ts';
import type { SiteModel } from './queries.ts';
import { describeIncident, renderIncidentMain } from './render/incident.ts';
import { createSourceLabeler, type SourceLabeler } from './sources.ts';
import { paths } from './urls.ts';

/** Shell values for one incident page. */
export function incidentShellValues(
  incident: Incident,
  lang: Lang,
  model: SiteModel,
  labelSource: SourceLabeler = createSourceLabeler(model.data.config),
): ShellValues {
  return {
    title: incident.title,
    description: describeIncident(incident, lang),
    path: `incidents/${incident.id}/`,
    head: '',
    main: renderIncidentMain(incident, { lang, now: model.now, labelSource }),
  };
}

/** Shell values for the page at a merged-away id: a redirect to the surviving incident. */
export function aliasShellValues(alias: string, target: Incident, lang: Lang): ShellValues {
  const m = useMessages(lang).incident;
  const href = paths.incident(lang, target.id);
  return {
    title: m.aliasTitle,
    description: m.aliasTitle,
    // Canonical and language links point at the surviving incident.
    path: `incidents/${target.id}/`,
    head: `<meta http-equiv="refresh" content="0; url=${href}"><meta name="robots" content="noindex">`,
    main: `<article class="incident"><h1>${escapeHtml(m.aliasTitle)}</h1><p>${escapeHtml(m.aliasBody)} <a href="${href}">${escapeHtml(target.title)}</a>.</p><p class="meta">${escapeHtml(alias)}</p></article>`,
  };
}

/** One job per incident and per alias in `lang`. */
export function incidentPageJobs(model: SiteModel, lang: Lang, fill: CompiledShell): PageJob[] {
  const labelSource = createSourceLabeler(model.data.config);
  const jobs: PageJob[] = model.incidents.map((incident) => ({
    lang,
    path: `incidents/${incident.id}/`,
    html: () => fill(incidentShellValues(incident, lang, model, labelSource)),
  }));
  for (const [alias, targetId] of model.aliases) {
    const target = model.incidentById.get(targetId)!;
    jobs.push({ lang, path: `incidents/${alias}/`, html: () => fill(aliasShellValues(alias, target, lang)) });
  }
  return jobs;
}
