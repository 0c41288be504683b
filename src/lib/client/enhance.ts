/**
 * Optional enhancements, loaded as one small module on every page; nothing here is needed to read
 * anything. Three islands share nanostores atoms:
 * - theme toggle ($theme), persisted in localStorage and applied before paint by the inline script;
 * - local time: `<time data-local>` (UTC text) is rewritten in the visitor's time zone;
 * - live status ($status): /api/status.json is re-read every minute; status pills, the stale
 *   warning and a "new information" notice follow it. A page left open (or served from a cache)
 *   still warns when its data grows old.
 */
import { atom } from 'nanostores';

interface LiveStatus {
  lastSuccessfulCycleAt: string | null;
  staleAfterMinutes: number;
  services: { id: string; status: string }[];
  activeIncidents: { id: string }[];
}
interface LiveLabels {
  status: Record<string, string>;
  staleBody: string;
  staleNever: string;
  notice: string;
  reload: string;
  minutes: string;
  hours: string;
}

type Theme = 'light' | 'dark';
const THEME_KEY = 'or-theme';
const html = document.documentElement;

function readStoredTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'dark' || value === 'light' ? value : null;
  } catch {
    // Storage blocked (privacy settings): fall back to the system preference.
    return null;
  }
}

function storeTheme(theme: Theme): boolean {
  try {
    localStorage.setItem(THEME_KEY, theme);
    return true;
  } catch {
    return false;
  }
}

export const $theme = atom<Theme>(readStoredTheme() ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
export const $status = atom<LiveStatus | null>(null);

function setupThemeToggle(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('.theme-toggle')];
  if (buttons.length === 0) return;
  $theme.subscribe((theme) => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(theme === 'dark'));
  });
  for (const b of buttons) {
    b.hidden = false;
    b.addEventListener('click', () => {
      const next: Theme = $theme.get() === 'dark' ? 'light' : 'dark';
      html.dataset.theme = next;
      storeTheme(next);
      $theme.set(next);
    });
  }
}

function localizeTimes(): void {
  const format = new Intl.DateTimeFormat(html.lang === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  for (const el of document.querySelectorAll<HTMLTimeElement>('time[data-local]')) {
    const date = new Date(el.dateTime);
    if (Number.isNaN(date.getTime())) continue;
    el.title = el.textContent ?? '';
    el.textContent = format.format(date);
    el.removeAttribute('data-local');
  }
}

function readLabels(): LiveLabels | null {
  const el = document.getElementById('live-labels');
  if (!el?.textContent) return null;
  return JSON.parse(el.textContent) as LiveLabels;
}

function formatAge(minutes: number, labels: LiveLabels): string {
  return minutes >= 120 ? `${Math.floor(minutes / 60)} ${labels.hours}` : `${minutes} ${labels.minutes}`;
}

/** Shows the stale warning when the data behind this page is older than the threshold now. */
function checkStale(lastCycle: string | null, staleAfter: number, labels: LiveLabels): void {
  const box = document.querySelector<HTMLElement>('[data-stale-warning]');
  if (!box) return;
  const body = box.querySelector<HTMLElement>('[data-stale-body]');
  if (!lastCycle) {
    box.hidden = false;
    if (body) body.textContent = labels.staleNever;
    return;
  }
  const age = Math.floor((Date.now() - Date.parse(lastCycle)) / 60_000);
  if (age > staleAfter) {
    box.hidden = false;
    if (body) body.textContent = labels.staleBody.replace('{age}', formatAge(age, labels));
  }
}

function setupLiveStatus(labels: LiveLabels): void {
  const pills = [...document.querySelectorAll<HTMLElement>('[data-service-status]')];
  const container = document.querySelector<HTMLElement>('[data-live-status]');
  const box = document.querySelector<HTMLElement>('[data-stale-warning]');
  if (box) checkStale(box.dataset.lastCycle || null, Number(box.dataset.staleAfter), labels);
  if (pills.length === 0 && !container) return;
  const knownActive = (container?.dataset.activeIds ?? '').split(' ').filter(Boolean).sort().join(' ');

  $status.subscribe((status) => {
    if (!status) return;
    const byId = new Map(status.services.map((s) => [s.id, s.status]));
    for (const pill of pills) {
      const next = byId.get(pill.dataset.serviceStatus ?? '');
      if (!next || !labels.status[next]) continue;
      pill.className = `pill st-${next}`;
      pill.textContent = labels.status[next];
    }
    checkStale(status.lastSuccessfulCycleAt, status.staleAfterMinutes, labels);
    const active = status.activeIncidents.map((i) => i.id).sort().join(' ');
    const notice = document.querySelector<HTMLElement>('[data-live-notice]');
    if (notice && container && active !== knownActive && notice.hidden) {
      const link = document.createElement('a');
      link.href = location.pathname;
      link.textContent = labels.reload;
      notice.replaceChildren(`${labels.notice} `, link);
      notice.hidden = false;
    }
  });

  const refresh = async () => {
    try {
      const response = await fetch('/api/status.json', { cache: 'no-store' });
      if (response.ok) $status.set((await response.json()) as LiveStatus);
    } catch (err) {
      // Offline or the server is down: keep what the page shows; the stale check still runs.
      console.debug('outage-radar: live status unavailable', err);
    }
  };
  setInterval(() => {
    if (document.visibilityState === 'visible') void refresh();
  }, 60_000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });
}

setupThemeToggle();
localizeTimes();
const labels = readLabels();
if (labels) setupLiveStatus(labels);
