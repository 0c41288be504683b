/**
 * Microsoft Teams message for Workflows webhooks ("When a Teams webhook request is received") and
 * the older incoming webhooks: one Adaptive Card 1.4 attachment. External text is escaped with
 * `escapeTeams` (cards render a Markdown subset and no HTML); times use the card's own
 * `{{DATE()}}`/`{{TIME()}}` so each reader sees local time.
 */
import { factsFor, headlineFor, incidentPageUrl, LABELS, updateTexts } from './labels.ts';
import type { RenderContext } from './render-context.ts';
import { escapeTeams, fitEscaped, oneLine } from './text.ts';
import type { NotificationEvent } from './types.ts';

const COLORS: Record<NotificationEvent['type'], string> = {
  suspected: 'Warning',
  opened: 'Attention',
  updated: 'Accent',
  resolved: 'Good',
};

function cardTime(iso: string): string {
  const at = `${iso.slice(0, 19)}Z`;
  return `{{DATE(${at}, SHORT)}} {{TIME(${at})}}`;
}

export function renderTeams(event: NotificationEvent, ctx: RenderContext) {
  const labels = LABELS[ctx.lang];
  const incident = event.incident;
  const headline = headlineFor(event, ctx.lang);
  const facts = factsFor(event, ctx.lang).map((f) => ({
    title: escapeTeams(f.label),
    value:
      f.label === labels.started
        ? cardTime(incident.startedAt)
        : f.label === labels.resolvedAt && incident.resolvedAt
          ? cardTime(incident.resolvedAt)
          : f.external
            ? fitEscaped(f.value, escapeTeams, 500)
            : f.value,
  }));
  const texts = updateTexts(event);
  const perText = Math.floor(3000 / Math.max(1, texts.length));
  const body: unknown[] = [
    { type: 'TextBlock', text: escapeTeams(headline), weight: 'Bolder', color: COLORS[event.type], size: 'Small', wrap: true },
    { type: 'TextBlock', text: fitEscaped(oneLine(incident.title), escapeTeams, 500), weight: 'Bolder', size: 'Large', wrap: true, spacing: 'None' },
    { type: 'FactSet', facts },
  ];
  if (texts.length > 0) {
    body.push({ type: 'TextBlock', text: escapeTeams(labels.latest), weight: 'Bolder', wrap: true, separator: true });
    for (const t of texts) body.push({ type: 'TextBlock', text: fitEscaped(t, escapeTeams, perText), wrap: true });
  }
  body.push({ type: 'TextBlock', text: escapeTeams(oneLine(ctx.siteTitle)), isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: [{ type: 'Action.OpenUrl', title: labels.view, url: incidentPageUrl(ctx.siteUrl, ctx.lang, incident.id) }],
        },
      },
    ],
  };
}
