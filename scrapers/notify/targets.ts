/** Which targets an event goes to, and where each target's URL comes from. Pure. */
import type { NotificationTarget } from '../../src/config/schema.ts';
import type { Lang } from '../../src/domain/vocabulary.ts';
import type { DeliveryError, NotificationEvent } from './types.ts';

/** A configured target with its URL looked up (or the reason there is none). */
export interface ResolvedTarget {
  id: string;
  format: NotificationTarget['format'];
  lang: Lang;
  services: NotificationTarget['services'];
  events: NotificationTarget['events'];
  enabled: boolean;
  /** The webhook URL; a secret, never logged. Null when it cannot be resolved. */
  url: string | null;
  /** HMAC signing secret for json targets, when `secretEnv` names a set variable. */
  secret: string | null;
  problem: DeliveryError | null;
}

function isHttpUrl(value: string): boolean {
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Resolves every target's URL from the config or the environment. */
export function resolveTargets(
  targets: readonly NotificationTarget[],
  env: Readonly<Record<string, string | undefined>>,
  defaultLang: Lang,
): ResolvedTarget[] {
  return targets.map((t) => {
    const raw = t.url ?? (t.urlEnv ? env[t.urlEnv]?.trim() : undefined) ?? '';
    let problem: DeliveryError | null = null;
    if (raw === '') {
      problem = { code: 'NOTIFY_NOT_CONFIGURED', message: `environment variable ${t.urlEnv} is not set` };
    } else if (!isHttpUrl(raw)) {
      problem = { code: 'NOTIFY_NOT_CONFIGURED', message: `environment variable ${t.urlEnv} does not hold an http(s) URL` };
    }
    const secret = t.secretEnv ? (env[t.secretEnv] ?? '') : '';
    return {
      id: t.id,
      format: t.format,
      lang: t.lang ?? defaultLang,
      services: t.services,
      events: t.events,
      enabled: t.enabled,
      url: problem ? null : raw,
      secret: secret === '' ? null : secret,
      problem,
    };
  });
}

/** True when `target` wants `event`: enabled, the event type allowed, and a service in common. */
export function isWantedBy(target: Pick<ResolvedTarget, 'enabled' | 'services' | 'events'>, event: NotificationEvent): boolean {
  if (!target.enabled) return false;
  if (target.events && !target.events.includes(event.type)) return false;
  if (target.services && !event.incident.services.some((s) => target.services!.includes(s))) return false;
  return true;
}
