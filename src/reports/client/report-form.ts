/**
 * The report form's island: submits without a reload (JSON to /api/reports), says what happened,
 * and shows how many people reported the service in the last hour (from
 * /api/reports/summary.json, asked once the visitor turns to the form). Without JavaScript the form posts itself and the server answers
 * with a confirmation page; this script only enhances. Browser code: no Node imports.
 */
import { map, type MapStore } from 'nanostores';

export type Phase = 'idle' | 'sending' | 'done' | 'error';

export interface FormState {
  phase: Phase;
  message: string;
  /** Reports of the chosen service in the last hour; null until known. */
  lastHour: number | null;
}

interface Summary {
  services: Record<string, { lastHour: number } | undefined>;
}

interface ApiAnswer {
  status?: 'accepted' | 'duplicate';
  error?: { code: string; fields?: { field: string; code: string }[]; retryAfter?: number };
}

/** Messages JSON from `data-messages` (see islandMessages in ../messages.ts). */
type Messages = Record<string, string>;

function fill(template: string | undefined, n: number): string {
  return (template ?? '').replace('{n}', String(n));
}

/** What to tell the visitor about an answer of /api/reports. */
export function describeAnswer(status: number, answer: ApiAnswer | null, t: Messages): { phase: Phase; message: string } {
  if (answer?.status === 'accepted' || answer?.status === 'duplicate') return { phase: 'done', message: t[answer.status] ?? '' };
  const code = answer?.error?.code;
  const parts = [code ? (t[`error.${code}`] ?? code) : (t.networkError ?? '')];
  for (const f of answer?.error?.fields ?? []) parts.push(t[`field.${f.code}`] ?? f.code);
  if (status === 429 && answer?.error?.retryAfter) parts.push(fill(t.retryIn, answer.error.retryAfter));
  return { phase: 'error', message: parts.filter(Boolean).join(' ') };
}

export function lastHourText(n: number, t: Messages): string {
  return n === 1 ? (t.lastHourOne ?? '') : fill(t.lastHourMany, n);
}

/** Reports of `service` in the last hour, from the live summary (cached a few seconds on the server). */
async function fetchLastHour(service: string): Promise<number | null> {
  const res = await fetch('/api/reports/summary.json', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) return null;
  const summary = (await res.json()) as Summary;
  return summary.services[service]?.lastHour ?? null;
}

/** Wires one form; returns its state store (tests and other islands may subscribe). */
export function enhanceReportForm(form: HTMLFormElement): MapStore<FormState> {
  const $state = map<FormState>({ phase: 'idle', message: '', lastHour: null });
  const t = JSON.parse(form.dataset.messages ?? '{}') as Messages;
  const status = form.querySelector<HTMLElement>('[data-report-status]');
  const count = form.querySelector<HTMLElement>('[data-report-count]');
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const serviceOf = () => String(new FormData(form).get('service') ?? '');

  $state.subscribe((s) => {
    form.dataset.phase = s.phase;
    if (status) status.textContent = s.message;
    if (button) button.disabled = s.phase === 'sending';
    if (count) {
      count.hidden = s.lastHour === null;
      count.textContent = s.lastHour === null ? '' : lastHourText(s.lastHour, t);
    }
  });

  /** `atLeast`: a floor for the count (our own accepted report may be newer than the cached summary). */
  const refresh = async (atLeast: number | null = null) => {
    const service = serviceOf();
    if (!service) return;
    try {
      const n = await fetchLastHour(service);
      if (n !== null && service === serviceOf()) $state.setKey('lastHour', Math.max(n, atLeast ?? 0));
    } catch (err) {
      // The count is a nicety; the form works without it.
      console.debug('report count unavailable', err);
    }
  };

  // The count is fetched once the visitor turns to the form, not on every page view: during a big
  // outage the static pages are read by many more people than report, and they stay static.
  let engaged = false;
  const engage = () => {
    if (engaged) return;
    engaged = true;
    void refresh();
  };
  form.addEventListener('focusin', engage);
  form.addEventListener('pointerenter', engage);
  form.addEventListener('change', (e) => {
    if (!engaged) return engage();
    if ((e.target as HTMLElement | null)?.getAttribute('name') === 'service') {
      $state.setKey('lastHour', null);
      void refresh();
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if ($state.get().phase === 'sending') return;
    const data = new FormData(form);
    const body: Record<string, string> = {};
    for (const key of ['service', 'problemType', 'code', 'lang']) {
      const v = data.get(key);
      if (typeof v === 'string' && v !== '') body[key] = v;
    }
    $state.set({ ...$state.get(), phase: 'sending', message: t.sending ?? '' });
    void (async () => {
      let answer: ApiAnswer | null = null;
      let httpStatus = 0;
      const before = $state.get().lastHour;
      try {
        const res = await fetch('/api/reports', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        });
        httpStatus = res.status;
        answer = (await res.json()) as ApiAnswer;
      } catch (err) {
        console.debug('report not sent', err);
      }
      const described = describeAnswer(httpStatus, answer, t);
      $state.set({ ...$state.get(), ...described });
      if (described.phase === 'done') await refresh(answer?.status === 'accepted' && before !== null ? before + 1 : null);
    })();
  });

  return $state;
}

/** Enhances every report form on the page. */
export function enhanceReportForms(root: ParentNode = document): MapStore<FormState>[] {
  return [...root.querySelectorAll<HTMLFormElement>('form[data-report-form]')].map(enhanceReportForm);
}
