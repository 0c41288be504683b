/**
 * Slack incoming-webhook message: fallback `text` plus Block Kit `blocks`. External text only
 * ever lands in `mrkdwn` objects marked `verbatim` (no auto-linking of names or mentions), escaped
 * with `escapeSlack`; `plain_text` carries only our own words. Limits: header 150, section text
 * 3000, field 2000, at most 10 fields.
 */
import { factsFor, headlineFor, incidentPageUrl, LABELS, updateTexts } from './labels.ts';
import type { RenderContext } from './render-context.ts';
import { escapeSlack, fitEscaped, oneLine } from './text.ts';
import type { NotificationEvent } from './types.ts';

const EMOJI: Record<NotificationEvent['type'], string> = {
  suspected: ':warning:',
  opened: ':red_circle:',
  updated: ':information_source:',
  resolved: ':white_check_mark:',
};

/** Slack renders this in the reader's own time zone; the text after `|` is the fallback. */
function slackDate(iso: string, fallback: string): string {
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

export function renderSlack(event: NotificationEvent, ctx: RenderContext) {
  const labels = LABELS[ctx.lang];
  const incident = event.incident;
  const url = incidentPageUrl(ctx.siteUrl, ctx.lang, incident.id);
  const headline = headlineFor(event, ctx.lang);
  const title = fitEscaped(oneLine(incident.title), escapeSlack, 500);
  const facts = factsFor(event, ctx.lang);
  const fields = facts.slice(0, 10).map((f) => {
    const value = f.label === labels.started ? slackDate(incident.startedAt, escapeSlack(f.value)) : fitEscaped(f.value, escapeSlack, 1500);
    return { type: 'mrkdwn', text: `*${escapeSlack(f.label)}*\n${value}`, verbatim: true };
  });
  const texts = updateTexts(event);
  const perText = Math.floor((2900 - 40) / Math.max(1, texts.length));
  const body = texts.map((t) => fitEscaped(t, escapeSlack, perText)).join('\n\n');
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `${EMOJI[event.type]} ${headline}`.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${title}*`, verbatim: true } },
    { type: 'section', fields },
  ];
  if (body !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(labels.latest)}*\n${body}`, verbatim: true } });
  }
  blocks.push(
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${escapeSlack(ctx.siteTitle)} · ${escapeSlack(headline)}`, verbatim: true }] },
    { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: labels.view }, url }] },
  );
  const services = fitEscaped(facts[0]!.value, escapeSlack, 300);
  return {
    text: `${escapeSlack(headline)}: ${title} (${services}) <${url}|${escapeSlack(labels.view)}>`,
    blocks,
    unfurl_links: false,
    unfurl_media: false,
  };
}
