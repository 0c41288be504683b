/**
 * Strings of the report form, confirmation page and crowd chart, in every site language.
 * Pure data; the client island receives the few it needs as JSON in a data attribute.
 */
import type { Lang, ProblemType } from '../domain/vocabulary.ts';
import type { FieldErrorCode } from './report.ts';
import type { ReceiveErrorCode } from './receive.ts';

export interface ReportMessages {
  formTitle: (service: string) => string;
  formTitleAny: string;
  serviceLabel: string;
  problemLegend: string;
  problemTypes: Record<ProblemType, string>;
  codeLabel: string;
  codeHint: string;
  submit: string;
  privacy: string;
  sending: string;
  lastHour: (n: number) => string;
  accepted: string;
  duplicate: string;
  errors: Record<ReceiveErrorCode, string>;
  fields: Record<FieldErrorCode, string>;
  retryIn: (seconds: number) => string;
  networkError: string;
  pageTitleDone: string;
  pageTitleError: string;
  pageTitleForm: string;
  pageIntro: string;
  backTo: (service: string) => string;
  backHome: string;
  chartHeading: string;
  chartDescription: (total: number, usual: number, peak: number | null, peakAt: string | null) => string;
  chartLegendReports: (bucketMinutes: number) => string;
  chartLegendBaseline: string;
  chartNoData: string;
  chartTableSummary: string;
  chartTableCaption: (service: string) => string;
  colHour: string;
  colReports: string;
  colUsual: string;
  lastHourLine: (n: number, usual: number) => string;
  elevatedNow: (since: string) => string;
  spikeEnded: (from: string, to: string, peak: number) => string;
  topProblems: string;
  topCodes: string;
  noReports: string;
  share: (pct: number) => string;
  updatedAt: string;
}

const DE_ERRORS: Record<ReceiveErrorCode, string> = {
  REPORTS_DISABLED: 'Diese Seite nimmt keine Problemmeldungen an.',
  METHOD_NOT_ALLOWED: 'Meldungen bitte über das Formular senden.',
  UNSUPPORTED_MEDIA_TYPE: 'Das Formular wurde in einem unbekannten Format gesendet.',
  ORIGIN_REQUIRED: 'Meldungen werden nur über das Formular dieser Seite angenommen.',
  ORIGIN_MISMATCH: 'Meldungen werden nur über das Formular dieser Seite angenommen.',
  PAYLOAD_TOO_LARGE: 'Die Meldung ist zu groß.',
  BODY_INCOMPLETE: 'Die Meldung kam nicht vollständig an. Bitte erneut senden.',
  BODY_ENCODING: 'Die Meldung enthält ungültige Zeichen.',
  INVALID_JSON: 'Die Meldung konnte nicht gelesen werden.',
  FIELD_REPEATED: 'Ein Formularfeld wurde mehrfach gesendet.',
  INVALID_REPORT: 'Bitte die markierten Angaben prüfen.',
  CLIENT_UNKNOWN: 'Ihre Meldung konnte nicht zugeordnet werden.',
  RATE_LIMITED: 'Zu viele Meldungen von Ihrer Adresse.',
  STORE_UNAVAILABLE: 'Meldungen können gerade nicht gespeichert werden.',
};

const EN_ERRORS: Record<ReceiveErrorCode, string> = {
  REPORTS_DISABLED: 'This site does not accept problem reports.',
  METHOD_NOT_ALLOWED: 'Please send reports with the form.',
  UNSUPPORTED_MEDIA_TYPE: 'The form was sent in an unknown format.',
  ORIGIN_REQUIRED: 'Reports are only accepted from the form on this site.',
  ORIGIN_MISMATCH: 'Reports are only accepted from the form on this site.',
  PAYLOAD_TOO_LARGE: 'The report is too large.',
  BODY_INCOMPLETE: 'The report did not arrive completely. Please send it again.',
  BODY_ENCODING: 'The report contains invalid characters.',
  INVALID_JSON: 'The report could not be read.',
  FIELD_REPEATED: 'A form field was sent more than once.',
  INVALID_REPORT: 'Please check the marked fields.',
  CLIENT_UNKNOWN: 'Your report could not be attributed.',
  RATE_LIMITED: 'Too many reports from your address.',
  STORE_UNAVAILABLE: 'Reports cannot be stored right now.',
};

export const REPORT_MESSAGES: Record<Lang, ReportMessages> = {
  en: {
    formTitle: (s) => `Problem with ${s}?`,
    formTitleAny: 'Problem with a Microsoft service?',
    serviceLabel: 'Service',
    problemLegend: 'What is not working?',
    problemTypes: {
      'sign-in': 'Signing in',
      'receiving-mail': 'Receiving mail',
      'sending-mail': 'Sending mail',
      'mail-bounces': 'Mail bounces (non-delivery report)',
      'outlook-desktop': 'Outlook desktop app',
      'mobile-app': 'Mobile app',
      'web-access': 'Website / web access',
      'teams-calls-chat': 'Teams calls or chat',
      other: 'Something else',
    },
    codeLabel: 'Bounce code (optional)',
    codeHint: 'From the non-delivery report, e.g. 550 5.1.10 or 5.7.1.',
    submit: 'Report problem',
    privacy:
      'We keep the service, the problem, the code and the time. Your IP address is never stored: a salted hash of it is kept for at most an hour, so each person counts once.',
    sending: 'Sending…',
    lastHour: (n) => (n === 1 ? '1 report in the last hour' : `${n} reports in the last hour`),
    accepted: 'Thank you, your report was counted.',
    duplicate: 'Thank you. You already reported this service within the hour; it counts once.',
    errors: EN_ERRORS,
    fields: {
      SERVICE_MISSING: 'Choose a service.',
      SERVICE_UNKNOWN: 'Choose a service from the list.',
      PROBLEM_TYPE_MISSING: 'Choose what is not working.',
      PROBLEM_TYPE_UNKNOWN: 'Choose what is not working from the list.',
      BOUNCE_CODE_INVALID: 'The bounce code looks like 550 5.1.10, 550 or 5.7.1.',
      LANG_UNKNOWN: 'Unknown page language.',
      FIELD_UNKNOWN: 'The form contains an unexpected field.',
      FIELD_NOT_TEXT: 'A field has an unexpected value.',
      BODY_NOT_OBJECT: 'The report could not be read.',
    },
    retryIn: (s) => `Please try again in ${s} seconds.`,
    networkError: 'The report could not be sent. Check your connection and try again.',
    pageTitleDone: 'Report received',
    pageTitleError: 'Report not accepted',
    pageTitleForm: 'Report a problem',
    pageIntro: 'Tell us what is not working. Many reports at once show an outage before Microsoft confirms it.',
    backTo: (s) => `Back to ${s}`,
    backHome: 'Back to the status overview',
    chartHeading: 'User reports in the last 24 hours',
    chartDescription: (total, usual, peak, peakAt) =>
      `${total} reports in the last 24 hours; usually about ${usual}.${peak !== null && peakAt ? ` Most in one interval: ${peak} at ${peakAt}.` : ''}`,
    chartLegendReports: (m) => `Reports per ${m} minutes`,
    chartLegendBaseline: 'Usual level',
    chartNoData: 'No report data yet.',
    chartTableSummary: 'Reports per hour as a table',
    chartTableCaption: (s) => `User reports per hour for ${s}, with the usual level`,
    colHour: 'Hour (UTC)',
    colReports: 'Reports',
    colUsual: 'Usual',
    lastHourLine: (n, usual) => `${n === 1 ? '1 report' : `${n} reports`} in the last hour (usually about ${usual}).`,
    elevatedNow: (since) => `More reports than usual since ${since}.`,
    spikeEnded: (from, to, peak) => `More reports than usual from ${from} to ${to} (peak ${peak}).`,
    topProblems: 'Most reported problems',
    topCodes: 'Most reported bounce codes',
    noReports: 'No reports in the last 24 hours.',
    share: (pct) => `${pct} %`,
    updatedAt: 'As of',
  },
  de: {
    formTitle: (s) => `Probleme mit ${s}?`,
    formTitleAny: 'Probleme mit einem Microsoft-Dienst?',
    serviceLabel: 'Dienst',
    problemLegend: 'Was funktioniert nicht?',
    problemTypes: {
      'sign-in': 'Anmeldung',
      'receiving-mail': 'E-Mail-Empfang',
      'sending-mail': 'E-Mail-Versand',
      'mail-bounces': 'Unzustellbare E-Mails (Unzustellbarkeitsbericht)',
      'outlook-desktop': 'Outlook-Desktop-App',
      'mobile-app': 'Mobile App',
      'web-access': 'Website / Webzugriff',
      'teams-calls-chat': 'Teams-Anrufe oder -Chat',
      other: 'Etwas anderes',
    },
    codeLabel: 'Fehlercode (optional)',
    codeHint: 'Aus dem Unzustellbarkeitsbericht, z. B. 550 5.1.10 oder 5.7.1.',
    submit: 'Problem melden',
    privacy:
      'Wir speichern Dienst, Problem, Code und Uhrzeit. Ihre IP-Adresse wird nie gespeichert: Ein gesalzener Hashwert davon wird höchstens eine Stunde aufbewahrt, damit jede Person nur einmal zählt.',
    sending: 'Wird gesendet …',
    lastHour: (n) => (n === 1 ? '1 Meldung in der letzten Stunde' : `${n} Meldungen in der letzten Stunde`),
    accepted: 'Danke, Ihre Meldung wurde gezählt.',
    duplicate: 'Danke. Sie haben diesen Dienst in dieser Stunde schon gemeldet; das zählt einmal.',
    errors: DE_ERRORS,
    fields: {
      SERVICE_MISSING: 'Bitte einen Dienst wählen.',
      SERVICE_UNKNOWN: 'Bitte einen Dienst aus der Liste wählen.',
      PROBLEM_TYPE_MISSING: 'Bitte wählen, was nicht funktioniert.',
      PROBLEM_TYPE_UNKNOWN: 'Bitte aus der Liste wählen, was nicht funktioniert.',
      BOUNCE_CODE_INVALID: 'Der Fehlercode sieht aus wie 550 5.1.10, 550 oder 5.7.1.',
      LANG_UNKNOWN: 'Unbekannte Seitensprache.',
      FIELD_UNKNOWN: 'Das Formular enthält ein unerwartetes Feld.',
      FIELD_NOT_TEXT: 'Ein Feld hat einen unerwarteten Wert.',
      BODY_NOT_OBJECT: 'Die Meldung konnte nicht gelesen werden.',
    },
    retryIn: (s) => `Bitte in ${s} Sekunden erneut versuchen.`,
    networkError: 'Die Meldung konnte nicht gesendet werden. Bitte Verbindung prüfen und erneut versuchen.',
    pageTitleDone: 'Meldung erhalten',
    pageTitleError: 'Meldung nicht angenommen',
    pageTitleForm: 'Problem melden',
    pageIntro: 'Sagen Sie uns, was nicht funktioniert. Viele Meldungen auf einmal zeigen eine Störung, bevor Microsoft sie bestätigt.',
    backTo: (s) => `Zurück zu ${s}`,
    backHome: 'Zurück zur Statusübersicht',
    chartHeading: 'Nutzermeldungen der letzten 24 Stunden',
    chartDescription: (total, usual, peak, peakAt) =>
      `${total} Meldungen in den letzten 24 Stunden; üblich sind etwa ${usual}.${peak !== null && peakAt ? ` Die meisten in einem Intervall: ${peak} um ${peakAt}.` : ''}`,
    chartLegendReports: (m) => `Meldungen pro ${m} Minuten`,
    chartLegendBaseline: 'Übliches Niveau',
    chartNoData: 'Noch keine Meldedaten.',
    chartTableSummary: 'Meldungen pro Stunde als Tabelle',
    chartTableCaption: (s) => `Nutzermeldungen pro Stunde für ${s}, mit dem üblichen Niveau`,
    colHour: 'Stunde (UTC)',
    colReports: 'Meldungen',
    colUsual: 'Üblich',
    lastHourLine: (n, usual) => `${n === 1 ? '1 Meldung' : `${n} Meldungen`} in der letzten Stunde (üblich etwa ${usual}).`,
    elevatedNow: (since) => `Seit ${since} mehr Meldungen als üblich.`,
    spikeEnded: (from, to, peak) => `Von ${from} bis ${to} mehr Meldungen als üblich (Spitze ${peak}).`,
    topProblems: 'Am häufigsten gemeldete Probleme',
    topCodes: 'Am häufigsten gemeldete Fehlercodes',
    noReports: 'Keine Meldungen in den letzten 24 Stunden.',
    share: (pct) => `${pct} %`,
    updatedAt: 'Stand',
  },
};

export function reportMessages(lang: Lang): ReportMessages {
  return REPORT_MESSAGES[lang];
}

/** The strings the client island needs, as plain JSON (functions rendered as templates). */
export function islandMessages(lang: Lang): Record<string, string> {
  const m = REPORT_MESSAGES[lang];
  const out: Record<string, string> = {
    sending: m.sending,
    accepted: m.accepted,
    duplicate: m.duplicate,
    networkError: m.networkError,
    lastHourOne: m.lastHour(1),
    lastHourMany: m.lastHour(1000001).replace('1000001', '{n}'),
    retryIn: m.retryIn(1000001).replace('1000001', '{n}'),
  };
  for (const [code, text] of Object.entries(m.errors)) out[`error.${code}`] = text;
  for (const [code, text] of Object.entries(m.fields)) out[`field.${code}`] = text;
  return out;
}
