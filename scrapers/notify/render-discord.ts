/**
 * Discord webhook message: `content` plus one embed. External text is escaped with
 * `escapeDiscord` and `allowed_mentions.parse` is empty, so nothing can ping anyone. Discord's
 * limits hold by construction: content 2000, title 256, description 4096, 25 fields of name 256 /
 * value 1024, footer 2048, 6000 characters across the embed.
 */
import { factsFor, headlineFor, incidentPageUrl, LABELS, updateTexts } from './labels.ts';
import type { RenderContext } from './render-context.ts';
import { escapeDiscord, fitEscaped, fitPlain, oneLine } from './text.ts';
import type { NotificationEvent } from './types.ts';

export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
} as const;

const COLORS: Record<NotificationEvent['type'], number> = {
  suspected: 0xf2a900,
  opened: 0xd93f0b,
  updated: 0x1f6feb,
  resolved: 0x2da44e,
};

/** Characters Discord counts toward an embed's 6000 limit. */
export function embedLength(embed: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (embed.footer?.text.length ?? 0)
  );
}

export function renderDiscord(event: NotificationEvent, ctx: RenderContext) {
  const labels = LABELS[ctx.lang];
  const incident = event.incident;
  const headline = headlineFor(event, ctx.lang);
  const title = fitEscaped(oneLine(incident.title), escapeDiscord, DISCORD_LIMITS.title);
  const fields = factsFor(event, ctx.lang)
    .slice(0, DISCORD_LIMITS.fields)
    .map((f) => ({
      name: fitPlain(f.label, DISCORD_LIMITS.fieldName),
      value:
        f.label === labels.started
          ? `<t:${Math.floor(Date.parse(incident.startedAt) / 1000)}:f>`
          : f.external
            ? fitEscaped(f.value, escapeDiscord, 400)
            : fitPlain(f.value, 300),
      inline: true,
    }));
  const footer = { text: fitPlain(`${oneLine(ctx.siteTitle)} · ${headline}`, 200) };
  const fixed = title.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0) + footer.text.length;
  const budget = Math.min(3000, DISCORD_LIMITS.embedTotal - fixed - 10);
  const texts = updateTexts(event);
  const perText = Math.floor(budget / Math.max(1, texts.length)) - 2;
  const description = texts.map((t) => fitEscaped(t, escapeDiscord, perText)).join('\n\n');
  const content = fitEscaped(oneLine(incident.title), escapeDiscord, DISCORD_LIMITS.content - headline.length - 10);
  return {
    content: `**${headline}**: ${content}`,
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title,
        url: incidentPageUrl(ctx.siteUrl, ctx.lang, incident.id),
        ...(description !== '' ? { description } : {}),
        color: COLORS[event.type],
        timestamp: event.at,
        fields,
        footer,
      },
    ],
  };
}
