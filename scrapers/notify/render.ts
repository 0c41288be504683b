/** One pure entry point: an event and a target format in, the HTTP body out. */
import type { NotificationFormat } from '../../src/config/schema.ts';
import type { RenderContext } from './render-context.ts';
import { renderDiscord } from './render-discord.ts';
import { renderJson } from './render-json.ts';
import { renderSlack } from './render-slack.ts';
import { renderTeams } from './render-teams.ts';
import type { NotificationEvent } from './types.ts';

export type { RenderContext } from './render-context.ts';

/** The JSON value a target of `format` receives for `event`. */
export function renderPayload(format: NotificationFormat, event: NotificationEvent, ctx: RenderContext): unknown {
  switch (format) {
    case 'json':
      return renderJson(event, ctx);
    case 'teams':
      return renderTeams(event, ctx);
    case 'slack':
      return renderSlack(event, ctx);
    case 'discord':
      return renderDiscord(event, ctx);
  }
}

/** The request body: compact JSON, UTF-8. */
export function renderBody(format: NotificationFormat, event: NotificationEvent, ctx: RenderContext): string {
  return JSON.stringify(renderPayload(format, event, ctx));
}
