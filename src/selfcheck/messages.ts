/**
 * Every sentence the self-check shows, in English and German: verdicts, the rule that decided,
 * facts and what a missing or odd one means, next steps. Plain strings with `{name}` slots; the
 * caller escapes (Astro does, the CLI prints to a terminal). Pure data plus one lookup function.
 */
import type { Lang } from '../domain/vocabulary.ts';
import type { CodeSide } from './catalog/schema.ts';
import type { FactId, FactState } from './facts.ts';
import type { VerdictKind, VerdictRule } from './verdict.ts';

type Text = Record<Lang, string>;

export const VERDICT_TITLES: Record<VerdictKind, Text> = {
  'microsoft-wide': { en: 'Microsoft-wide problem', de: 'Microsoft-weites Problem' },
  'unconfirmed-spike': {
    en: 'More reports than usual, not confirmed by Microsoft yet',
    de: 'Mehr Meldungen als üblich, von Microsoft noch nicht bestätigt',
  },
  tenant: { en: 'Looks specific to your domain or tenant', de: 'Sieht nach Ihrer Domain oder Ihrem Tenant aus' },
  mailbox: { en: 'Looks specific to one mailbox or account', de: 'Sieht nach einem einzelnen Postfach oder Konto aus' },
  'cannot-tell': { en: 'Cannot tell', de: 'Nicht zu entscheiden' },
};

/** The plain-words answer under the title: which rule decided, in a sentence. */
export const RULE_TEXTS: Record<VerdictRule, Text> = {
  'official-incident': {
    en: 'Microsoft has confirmed an active incident for {services}: {incident}. Your symptom fits it; wait for the fix and follow the incident.',
    de: 'Microsoft hat eine aktive Störung für {services} bestätigt: {incident}. Ihr Symptom passt dazu; warten Sie auf die Behebung und verfolgen Sie die Störung.',
  },
  'status-blind': {
    en: 'Our view of Microsoft\'s status is out of date or incomplete right now, so we cannot rule out a Microsoft-wide problem. The facts about your domain below still hold.',
    de: 'Unser Blick auf Microsofts Status ist gerade veraltet oder lückenhaft; ein Microsoft-weites Problem können wir daher nicht ausschließen. Die Fakten zu Ihrer Domain unten gelten trotzdem.',
  },
  'suspected-incident': {
    en: 'Press or community sources report a problem with {services} ({incident}), but Microsoft has not confirmed it yet.',
    de: 'Presse oder Community melden ein Problem mit {services} ({incident}), Microsoft hat es aber noch nicht bestätigt.',
  },
  'crowd-spike-code': {
    en: '{count} others reported {code} in the last hour, clearly more than usual (about {baseline}). Microsoft has not confirmed a problem yet.',
    de: '{count} andere haben in der letzten Stunde {code} gemeldet, deutlich mehr als üblich (etwa {baseline}). Microsoft hat noch kein Problem bestätigt.',
  },
  'crowd-spike-service': {
    en: 'More people than usual report problems with {services} right now. Microsoft has not confirmed a problem yet.',
    de: 'Gerade melden mehr Menschen als üblich Probleme mit {services}. Microsoft hat noch kein Problem bestätigt.',
  },
  'status-degraded-unconfirmed': {
    en: 'Our status shows {services} as impaired, without an incident Microsoft has confirmed.',
    de: 'Unser Status zeigt {services} als beeinträchtigt, ohne eine von Microsoft bestätigte Störung.',
  },
  'domain-does-not-exist': {
    en: 'DNS says {domain} does not exist. Mail to it cannot arrive anywhere: the domain may have expired or its name servers are broken. This is not a Microsoft outage.',
    de: 'Laut DNS existiert {domain} nicht. Mail dorthin kann nirgends ankommen: Die Domain ist vielleicht abgelaufen oder ihre Nameserver sind defekt. Das ist keine Microsoft-Störung.',
  },
  'domain-unknown-to-microsoft': {
    en: 'There is no Microsoft-wide problem with {services} right now, but Microsoft\'s directory no longer knows {domain}. That happens when a tenant\'s subscription ended and the tenant was disabled or deleted, or when the domain was removed from it. It will not pass by itself.',
    de: 'Für {services} gibt es gerade kein Microsoft-weites Problem, aber Microsofts Verzeichnis kennt {domain} nicht mehr. Das passiert, wenn das Abonnement eines Tenants endete und der Tenant deaktiviert oder gelöscht wurde, oder wenn die Domain daraus entfernt wurde. Das vergeht nicht von selbst.',
  },
  'domain-not-at-microsoft': {
    en: '{domain} does not use Microsoft 365: Microsoft\'s directory does not know it and its DNS points elsewhere. Problems with it are not caused by Microsoft.',
    de: '{domain} nutzt kein Microsoft 365: Microsofts Verzeichnis kennt sie nicht und ihr DNS zeigt woandershin. Probleme damit verursacht nicht Microsoft.',
  },
  'sender-side-code': {
    en: 'No Microsoft-wide problem right now, and {code} points to the sending side: the sender\'s mailbox, tenant, server or DNS.',
    de: 'Gerade kein Microsoft-weites Problem, und {code} weist auf die Absenderseite: Postfach, Tenant, Server oder DNS des Absenders.',
  },
  'mx-not-at-microsoft': {
    en: 'Microsoft knows the tenant of {domain}, but the domain\'s MX record does not send mail to Exchange Online first. Mail goes elsewhere (or through a filter) before it reaches Microsoft, if at all.',
    de: 'Microsoft kennt den Tenant von {domain}, aber der MX-Eintrag der Domain leitet Mail nicht zuerst zu Exchange Online. Mail geht woandershin (oder durch einen Filter), bevor sie Microsoft erreicht, wenn überhaupt.',
  },
  'tenant-side-code': {
    en: 'No Microsoft-wide problem right now. {code} points to a setting or state of the receiving organization\'s tenant.',
    de: 'Gerade kein Microsoft-weites Problem. {code} weist auf eine Einstellung oder den Zustand im Tenant der empfangenden Organisation.',
  },
  'one-mailbox-code': {
    en: 'No Microsoft-wide problem right now and {domain} is set up at Microsoft. {code} concerns one mailbox or account: the address, its licence or its state.',
    de: 'Gerade kein Microsoft-weites Problem, und {domain} ist bei Microsoft eingerichtet. {code} betrifft ein einzelnes Postfach oder Konto: die Adresse, seine Lizenz oder seinen Zustand.',
  },
  'domain-facts-blind': {
    en: 'No Microsoft-wide problem right now, but some look-ups about {domain} failed or timed out, so we cannot say whether the domain is set up correctly. Try again in a few minutes.',
    de: 'Gerade kein Microsoft-weites Problem, aber einige Abfragen zu {domain} sind fehlgeschlagen oder abgelaufen; ob die Domain richtig eingerichtet ist, können wir nicht sagen. In einigen Minuten erneut versuchen.',
  },
  'service-side-code-quiet': {
    en: '{code} can come from trouble on Microsoft\'s side, but there is no incident and no unusual number of reports right now. If it lasts longer than an hour, treat it as specific to you and check the code\'s causes.',
    de: '{code} kann von Problemen bei Microsoft kommen, gerade gibt es aber weder eine Störung noch ungewöhnlich viele Meldungen. Hält es länger als eine Stunde an, behandeln Sie es als Ihr eigenes Problem und prüfen Sie die Ursachen des Codes.',
  },
  'code-side-unclear': {
    en: 'No Microsoft-wide problem right now. {code} can be caused on either side of the connection; its usual causes are below.',
    de: 'Gerade kein Microsoft-weites Problem. {code} kann auf beiden Seiten der Verbindung entstehen; die üblichen Ursachen stehen unten.',
  },
  'unknown-code': {
    en: 'No Microsoft-wide problem right now. We do not describe {code} yet; Microsoft\'s documentation below may.',
    de: 'Gerade kein Microsoft-weites Problem. {code} beschreiben wir noch nicht; Microsofts Dokumentation unten vielleicht.',
  },
  'nothing-found': {
    en: 'No Microsoft-wide problem right now, and {domain} looks correctly set up for Microsoft 365. Without a code we cannot narrow it down: paste the bounce text or sign-in error.',
    de: 'Gerade kein Microsoft-weites Problem, und {domain} sieht für Microsoft 365 richtig eingerichtet aus. Ohne Code lässt es sich nicht eingrenzen: Fügen Sie die Unzustellbarkeitsnachricht oder den Anmeldefehler ein.',
  },
};

export const NOTE_TEXTS: Record<string, Text> = {
  'note-directory-unknown': {
    en: 'Microsoft\'s directory does not know {domain}.',
    de: 'Microsofts Verzeichnis kennt {domain} nicht.',
  },
  'note-incident-but-local-code': {
    en: 'There is an active Microsoft incident, but {code} points to the sender\'s own side, which an incident does not explain.',
    de: 'Es gibt eine aktive Microsoft-Störung, aber {code} weist auf die eigene Absenderseite, was eine Störung nicht erklärt.',
  },
  'note-crowd-unavailable': {
    en: 'Crowd reports are not available on this site, so only Microsoft\'s word and our sources count.',
    de: 'Nutzermeldungen gibt es auf dieser Seite nicht; es zählen nur Microsofts Angaben und unsere Quellen.',
  },
};

export const FACT_LABELS: Record<FactId, Text> = {
  'dns-mx': { en: 'MX record to Exchange Online Protection', de: 'MX-Eintrag zu Exchange Online Protection' },
  'dns-spf': { en: 'SPF includes Microsoft 365', de: 'SPF enthält Microsoft 365' },
  'dns-autodiscover': { en: 'Autodiscover CNAME to Outlook', de: 'Autodiscover-CNAME zu Outlook' },
  'dns-dkim': { en: 'DKIM selectors at Microsoft', de: 'DKIM-Selektoren bei Microsoft' },
  'dns-ms-txt': { en: 'MS= verification record', de: 'MS=-Verifizierungseintrag' },
  'dir-realm': { en: 'Microsoft\'s directory knows the domain', de: 'Microsofts Verzeichnis kennt die Domain' },
  'dir-openid': { en: 'Tenant found (OpenID configuration)', de: 'Tenant gefunden (OpenID-Konfiguration)' },
};

export const STATE_LABELS: Record<FactState, Text> = {
  yes: { en: 'yes', de: 'ja' },
  no: { en: 'no', de: 'nein' },
  unknown: { en: 'unknown', de: 'unbekannt' },
};

export const REASON_TEXTS: Record<string, Text> = {
  'mx-microsoft': { en: 'Mail for the domain goes to Exchange Online.', de: 'Mail für die Domain geht zu Exchange Online.' },
  'mx-microsoft-extra': {
    en: 'Exchange Online is tried first, but there are more MX records; Microsoft does not support more than one for a domain in Exchange Online.',
    de: 'Exchange Online wird zuerst versucht, es gibt aber weitere MX-Einträge; Microsoft unterstützt nur einen für eine Domain in Exchange Online.',
  },
  'mx-elsewhere': {
    en: 'Mail for the domain goes to another mail system, not to Exchange Online.',
    de: 'Mail für die Domain geht an ein anderes Mailsystem, nicht zu Exchange Online.',
  },
  'mx-gateway-first': {
    en: 'A filter or gateway is tried before Exchange Online; bounces may come from there.',
    de: 'Vor Exchange Online wird ein Filter oder Gateway versucht; Unzustellbarkeitsnachrichten können von dort kommen.',
  },
  'mx-null': { en: 'The domain says it accepts no mail at all (null MX).', de: 'Die Domain erklärt, gar keine Mail anzunehmen (Null-MX).' },
  'mx-none': { en: 'The domain has no MX record: mail to it cannot be delivered reliably.', de: 'Die Domain hat keinen MX-Eintrag: Mail dorthin ist nicht verlässlich zustellbar.' },
  'domain-nxdomain': { en: 'DNS says the domain does not exist.', de: 'Laut DNS existiert die Domain nicht.' },
  'lookup-timeout': { en: 'No answer in time; this says nothing about the domain.', de: 'Keine Antwort in der Zeit; das sagt nichts über die Domain.' },
  'lookup-failed': { en: 'The look-up failed; this says nothing about the domain.', de: 'Die Abfrage ist fehlgeschlagen; das sagt nichts über die Domain.' },
  'spf-microsoft': { en: 'One SPF record, including Microsoft 365\'s servers.', de: 'Ein SPF-Eintrag, der die Server von Microsoft 365 einschließt.' },
  'spf-no-microsoft': {
    en: 'SPF does not include Microsoft 365: mail sent through Microsoft may fail SPF at receivers.',
    de: 'SPF schließt Microsoft 365 nicht ein: Über Microsoft gesendete Mail kann bei Empfängern an SPF scheitern.',
  },
  'spf-multiple': { en: 'Two or more SPF records: receivers treat that as an error (permerror).', de: 'Zwei oder mehr SPF-Einträge: Empfänger werten das als Fehler (permerror).' },
  'spf-none': { en: 'No SPF record: receivers cannot check who may send for the domain.', de: 'Kein SPF-Eintrag: Empfänger können nicht prüfen, wer für die Domain senden darf.' },
  'ms-txt-present': {
    en: 'The domain was verified in a Microsoft tenant at some point (the record may stay after removal).',
    de: 'Die Domain wurde irgendwann in einem Microsoft-Tenant verifiziert (der Eintrag kann nach dem Entfernen bleiben).',
  },
  'ms-txt-absent': { en: 'None found; it is often deleted after verification, which is fine.', de: 'Keiner gefunden; er wird nach der Verifizierung oft gelöscht, das ist in Ordnung.' },
  'autodiscover-microsoft': { en: 'Outlook finds Exchange Online for this domain.', de: 'Outlook findet Exchange Online für diese Domain.' },
  'autodiscover-elsewhere': { en: 'Points to another system: Outlook set-up may go there. Mail delivery is not affected.', de: 'Zeigt auf ein anderes System: Die Outlook-Einrichtung landet evtl. dort. Die Zustellung ist nicht betroffen.' },
  'autodiscover-none': { en: 'Not set: Outlook set-up may need manual help. Mail delivery is not affected.', de: 'Nicht gesetzt: Die Outlook-Einrichtung braucht evtl. Hilfe. Die Zustellung ist nicht betroffen.' },
  'dkim-microsoft': { en: 'Both selectors point to the tenant\'s DKIM keys at Microsoft.', de: 'Beide Selektoren zeigen auf die DKIM-Schlüssel des Tenants bei Microsoft.' },
  'dkim-partial': { en: 'Only one selector points to Microsoft; key rotation will break DKIM.', de: 'Nur ein Selektor zeigt zu Microsoft; beim Schlüsselwechsel bricht DKIM.' },
  'dkim-elsewhere': { en: 'The selectors point to another provider.', de: 'Die Selektoren zeigen zu einem anderen Anbieter.' },
  'dkim-none': { en: 'DKIM signing through Microsoft is not set up. Not an outage.', de: 'DKIM-Signatur über Microsoft ist nicht eingerichtet. Keine Störung.' },
  'realm-managed': { en: 'Known to Microsoft, cloud-only sign-in (managed).', de: 'Microsoft bekannt, Anmeldung nur in der Cloud (verwaltet).' },
  'realm-federated': { en: 'Known to Microsoft, sign-in through the organization\'s own identity provider (federated).', de: 'Microsoft bekannt, Anmeldung über den eigenen Identitätsanbieter der Organisation (Verbund).' },
  'realm-unknown': {
    en: 'Microsoft does not know the domain: no tenant has it verified (any more).',
    de: 'Microsoft kennt die Domain nicht: Kein Tenant hat sie (mehr) verifiziert.',
  },
  'dir-drift': { en: 'Microsoft\'s answer had an unexpected shape, so we do not trust it.', de: 'Microsofts Antwort hatte eine unerwartete Form; wir trauen ihr nicht.' },
  'openid-tenant': { en: 'Tenant id, region and cloud as Microsoft publishes them.', de: 'Tenant-ID, Region und Cloud, wie Microsoft sie veröffentlicht.' },
  'openid-tenant-not-found': { en: 'Microsoft answers "tenant not found" (AADSTS90002).', de: 'Microsoft antwortet „Tenant nicht gefunden“ (AADSTS90002).' },
};

export const SIDE_LABELS: Record<CodeSide, Text> = {
  sender: { en: 'the sender\'s side', de: 'die Absenderseite' },
  'recipient-tenant': { en: 'the receiving organization\'s tenant (for sign-in: your organization\'s tenant)', de: 'den Tenant der empfangenden Organisation (bei Anmeldung: den Ihrer Organisation)' },
  'one-mailbox': { en: 'one mailbox or account', de: 'ein einzelnes Postfach oder Konto' },
  'microsoft-wide': { en: 'Microsoft\'s service', de: 'den Dienst von Microsoft' },
  unknown: { en: 'either side of the connection', de: 'beide Seiten der Verbindung' },
};

/** What to do next, by verdict: first for everyone, then when the admin account itself is locked out. */
export const NEXT_STEPS: Record<VerdictKind, Text[]> = {
  'microsoft-wide': [
    { en: 'Do not change your configuration because of this: it is on Microsoft\'s side.', de: 'Ändern Sie deswegen nichts an Ihrer Konfiguration: Es liegt bei Microsoft.' },
    { en: 'Follow the incident on this site; mail that fails temporarily (4.x.x) is retried and usually arrives later.', de: 'Verfolgen Sie die Störung auf dieser Seite; vorübergehend abgelehnte Mail (4.x.x) wird erneut versucht und kommt meist später an.' },
  ],
  'unconfirmed-spike': [
    { en: 'Wait 15–30 minutes and check again: Microsoft often confirms with a delay.', de: 'Warten Sie 15–30 Minuten und prüfen Sie erneut: Microsoft bestätigt oft mit Verzögerung.' },
    { en: 'If you run a tenant, look at Service health in the Microsoft 365 admin center; it can show issues before they are public.', de: 'Betreuen Sie einen Tenant, sehen Sie im Microsoft 365 Admin Center unter Dienstintegrität nach; dort erscheinen Probleme oft früher.' },
  ],
  tenant: [
    { en: 'This will not fix itself by waiting. Whoever manages the domain or the Microsoft 365 subscription has to act.', de: 'Das löst sich nicht durch Abwarten. Wer Domain oder Microsoft-365-Abonnement verwaltet, muss handeln.' },
    { en: 'Check the subscription and billing state (expired, disabled or deleted) and the domain in the admin center.', de: 'Abonnement- und Abrechnungsstatus (abgelaufen, deaktiviert, gelöscht) und die Domain im Admin Center prüfen.' },
  ],
  mailbox: [
    { en: 'Check the one address or account: spelling, whether it still exists, and whether it has a licence.', de: 'Die eine Adresse bzw. das eine Konto prüfen: Schreibweise, ob es noch existiert und ob es eine Lizenz hat.' },
    { en: 'Other mailboxes of the same domain should work; if they do not, check again with their codes.', de: 'Andere Postfächer derselben Domain sollten funktionieren; tun sie es nicht, mit deren Codes erneut prüfen.' },
  ],
  'cannot-tell': [
    { en: 'Check again in a few minutes; failed look-ups are not cached for long.', de: 'In einigen Minuten erneut prüfen; fehlgeschlagene Abfragen werden nur kurz zwischengespeichert.' },
    { en: 'Paste the full bounce text or sign-in error: the code narrows it down most.', de: 'Den ganzen Text der Unzustellbarkeitsnachricht oder des Anmeldefehlers einfügen: Der Code grenzt am meisten ein.' },
  ],
};

export const LOCKED_OUT_STEPS: Text[] = [
  {
    en: 'If no admin can sign in: sign in with the tenant\'s emergency (break-glass) account or the original …onmicrosoft.com admin, if one exists.',
    de: 'Kann sich kein Admin anmelden: Mit dem Notfallkonto (Break-Glass) des Tenants oder dem ursprünglichen …onmicrosoft.com-Admin anmelden, falls vorhanden.',
  },
  {
    en: 'Bought through a partner (CSP) or reseller? They can open a Microsoft ticket for you without your login — call them first.',
    de: 'Über einen Partner (CSP) oder Händler gekauft? Er kann ohne Ihre Anmeldung ein Microsoft-Ticket für Sie eröffnen — rufen Sie ihn zuerst an.',
  },
  {
    en: 'Bought directly: call Microsoft 365 support by phone for your country (numbers on Microsoft\'s "Contact Microsoft 365 for business support" page); have the domain and tenant id from this record ready.',
    de: 'Direkt gekauft: Den telefonischen Microsoft-365-Support Ihres Landes anrufen (Nummern auf Microsofts Seite „Kontaktieren des Supports für Microsoft 365 for Business“); Domain und Tenant-ID aus diesem Protokoll bereithalten.',
  },
  {
    en: 'Print or save the evidence record below and attach it to the ticket.',
    de: 'Das Nachweisprotokoll unten drucken oder speichern und dem Ticket beifügen.',
  },
];

/** A sentence the visitor can send to their customers or colleagues. */
export const CUSTOMER_NOTICE: Record<VerdictKind, Text> = {
  'microsoft-wide': {
    en: 'Microsoft is currently having a confirmed problem with {services} ({incident}). Mail or sign-in may fail or be delayed until Microsoft fixes it; no action is needed on your side.',
    de: 'Microsoft hat derzeit ein bestätigtes Problem mit {services} ({incident}). Mail oder Anmeldung können scheitern oder sich verzögern, bis Microsoft es behebt; Sie müssen nichts tun.',
  },
  'unconfirmed-spike': {
    en: 'Many users currently report problems with {services}; Microsoft has not confirmed a cause yet. We are watching it and will update you.',
    de: 'Derzeit melden viele Nutzer Probleme mit {services}; Microsoft hat noch keine Ursache bestätigt. Wir beobachten das und melden uns.',
  },
  tenant: {
    en: 'Mail to and sign-in at {domain} are affected by a problem with our own Microsoft 365 setup, not by a Microsoft outage. We are working on it; please use {alternative} meanwhile.',
    de: 'Mail an und Anmeldung bei {domain} sind von einem Problem mit unserer eigenen Microsoft-365-Einrichtung betroffen, nicht von einer Microsoft-Störung. Wir arbeiten daran; bitte nutzen Sie bis dahin {alternative}.',
  },
  mailbox: {
    en: 'One of our addresses at {domain} cannot receive mail right now; other addresses work. Please write to {alternative} meanwhile.',
    de: 'Eine unserer Adressen bei {domain} kann gerade keine Mail empfangen; andere Adressen funktionieren. Bitte schreiben Sie bis dahin an {alternative}.',
  },
  'cannot-tell': {
    en: 'We are investigating a mail or sign-in problem at {domain}; the cause is not clear yet.',
    de: 'Wir untersuchen ein Mail- oder Anmeldeproblem bei {domain}; die Ursache ist noch unklar.',
  },
};

/** Fills `{name}` slots; unknown slots stay visible so a missing value is noticed, not hidden. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function say(text: Text, lang: Lang, params: Record<string, string | number> = {}): string {
  return fill(text[lang], params);
}

/** Words of the /check page, the record page and the code pages. */
export const UI = {
  en: {
    navLabel: 'Is it me?',
    checkTitle: 'Is it me or Microsoft?',
    checkDescription: 'Check a domain, an e-mail address, a bounce or a sign-in error against Microsoft\'s status, crowd reports and your domain\'s setup at Microsoft.',
    intro: 'Enter your domain or e-mail address and, if you have one, the bounce text or sign-in error. We tell you whether Microsoft has a wide problem, or whether it is your domain, your tenant or one mailbox.',
    targetLabel: 'Domain or e-mail address',
    targetHint: 'Only the domain is used; the part before @ is dropped at once and never sent, stored or logged.',
    codeLabel: 'What you see (optional)',
    codeHint: 'A bounce text or just its code (5.1.10, 550 5.7.1 …) or a sign-in error (AADSTS50034).',
    submit: 'Check',
    errorHeading: 'Please check your input',
    rateLimited: 'You have checked a lot in the last minute. Please wait {seconds} seconds and try again.',
    staticHosting: 'This copy of the site is served as static files, so the live check is not available here. Run the same check on your own computer with the command below, or use the explanation pages of the codes.',
    disabled: 'The live check is switched off on this site. Run the same check with the command below.',
    commandIntro: 'The same check as a command (from a copy of Outage Radar):',
    verdictHeading: 'Answer',
    ruleLabel: 'Decided by rule',
    microsoftHeading: '1. Microsoft-wide?',
    statusAsOf: 'Our status as of',
    statusStale: 'Our status data is missing or out of date, so we cannot vouch for it.',
    noIncidents: 'No active or suspected incidents for these services.',
    official: 'confirmed by Microsoft',
    suspected: 'not confirmed',
    domainHeading: '2. {domain} at Microsoft',
    factHeader: 'Check',
    resultHeader: 'Result',
    meaningHeader: 'What it means',
    tenant: 'Tenant id',
    cloud: 'Cloud',
    cachedNote: 'These look-ups ran at {time} and are reused for a few minutes.',
    codeHeading: '3. The code explained',
    noCode: 'You gave no code. Paste the bounce text or sign-in error for a sharper answer.',
    unknownCode: 'We do not describe {code} yet. Microsoft\'s documentation: ',
    pointsTo: 'Points to',
    temporary: 'Temporary: the sending server retries by itself.',
    permanent: 'Permanent: the message was not delivered.',
    causes: 'Usual causes',
    userSteps: 'What you can do',
    adminSteps: 'What the administrator can do',
    docs: 'Microsoft\'s documentation',
    lookup: 'Microsoft\'s error look-up',
    nextHeading: '4. Next steps',
    lockedOutHeading: 'When the admin account itself is locked out',
    customersHeading: 'What to tell customers or colleagues',
    recordHeading: '5. Evidence record',
    recordIntro: 'A printable record of this check for support tickets and incident documentation. It holds the domain, never the mailbox.',
    recordLink: 'Open the printable evidence record',
    checkedAt: 'Checked at',
    recordTitle: 'Evidence record of a self-check',
    recordInvalid: 'This link is not a valid evidence record of this site: it was changed, cut off or issued elsewhere.',
    recordVerified: 'Issued and signed by this site. Changing the link makes it invalid.',
    recordDomain: 'Domain',
    recordCode: 'Code',
    recordVerdict: 'Verdict',
    recordStatus: 'Our status at that moment',
    recordFacts: 'Checks run',
    recordCrowd: 'Crowd reports of the code in the last hour',
    recordPrint: 'Print this page or save it as PDF (Ctrl+P / ⌘P).',
    recordAgain: 'Check again now',
    none: 'none',
    codesTitle: 'Delivery and sign-in error codes',
    codesDescription: 'Exchange Online delivery codes (bounces) and Entra ID sign-in codes explained: meaning, whose side, causes and fixes.',
    codesNdr: 'Exchange Online delivery codes (NDR)',
    codesAadsts: 'Entra ID sign-in codes (AADSTS)',
    codeCheckLink: 'Check your domain with this code',
    allCodes: 'All codes',
    codePageTitle: '{code}: {title}',
  },
  de: {
    navLabel: 'Liegt es an mir?',
    checkTitle: 'Liegt es an mir oder an Microsoft?',
    checkDescription: 'Prüft eine Domain, E-Mail-Adresse, Unzustellbarkeitsnachricht oder einen Anmeldefehler gegen Microsofts Status, Nutzermeldungen und die Einrichtung Ihrer Domain bei Microsoft.',
    intro: 'Geben Sie Ihre Domain oder E-Mail-Adresse ein und, falls vorhanden, den Text der Unzustellbarkeitsnachricht oder den Anmeldefehler. Wir sagen Ihnen, ob Microsoft ein breites Problem hat oder ob es an Ihrer Domain, Ihrem Tenant oder einem Postfach liegt.',
    targetLabel: 'Domain oder E-Mail-Adresse',
    targetHint: 'Verwendet wird nur die Domain; der Teil vor dem @ wird sofort verworfen und nie gesendet, gespeichert oder protokolliert.',
    codeLabel: 'Was Sie sehen (optional)',
    codeHint: 'Der Text einer Unzustellbarkeitsnachricht oder nur ihr Code (5.1.10, 550 5.7.1 …) oder ein Anmeldefehler (AADSTS50034).',
    submit: 'Prüfen',
    errorHeading: 'Bitte prüfen Sie Ihre Eingabe',
    rateLimited: 'Sie haben in der letzten Minute viel geprüft. Bitte warten Sie {seconds} Sekunden und versuchen Sie es erneut.',
    staticHosting: 'Diese Kopie der Seite wird als statische Dateien ausgeliefert, daher gibt es die Live-Prüfung hier nicht. Führen Sie dieselbe Prüfung mit dem Befehl unten auf Ihrem Rechner aus oder nutzen Sie die Erklärseiten zu den Codes.',
    disabled: 'Die Live-Prüfung ist auf dieser Seite abgeschaltet. Führen Sie dieselbe Prüfung mit dem Befehl unten aus.',
    commandIntro: 'Dieselbe Prüfung als Befehl (aus einer Kopie von Outage Radar):',
    verdictHeading: 'Antwort',
    ruleLabel: 'Entschieden durch Regel',
    microsoftHeading: '1. Microsoft-weit?',
    statusAsOf: 'Unser Status von',
    statusStale: 'Unsere Statusdaten fehlen oder sind veraltet; wir können uns nicht dafür verbürgen.',
    noIncidents: 'Keine aktiven oder vermuteten Störungen für diese Dienste.',
    official: 'von Microsoft bestätigt',
    suspected: 'nicht bestätigt',
    domainHeading: '2. {domain} bei Microsoft',
    factHeader: 'Prüfung',
    resultHeader: 'Ergebnis',
    meaningHeader: 'Bedeutung',
    tenant: 'Tenant-ID',
    cloud: 'Cloud',
    cachedNote: 'Diese Abfragen liefen um {time} und werden einige Minuten wiederverwendet.',
    codeHeading: '3. Der Code erklärt',
    noCode: 'Sie haben keinen Code angegeben. Mit dem Text der Unzustellbarkeitsnachricht oder dem Anmeldefehler wird die Antwort genauer.',
    unknownCode: '{code} beschreiben wir noch nicht. Microsofts Dokumentation: ',
    pointsTo: 'Weist auf',
    temporary: 'Vorübergehend: Der sendende Server versucht es selbst erneut.',
    permanent: 'Endgültig: Die Nachricht wurde nicht zugestellt.',
    causes: 'Übliche Ursachen',
    userSteps: 'Was Sie tun können',
    adminSteps: 'Was der Administrator tun kann',
    docs: 'Microsofts Dokumentation',
    lookup: 'Microsofts Fehlersuche',
    nextHeading: '4. Nächste Schritte',
    lockedOutHeading: 'Wenn das Admin-Konto selbst ausgesperrt ist',
    customersHeading: 'Was Sie Kunden oder Kollegen sagen können',
    recordHeading: '5. Nachweisprotokoll',
    recordIntro: 'Ein druckbares Protokoll dieser Prüfung für Supportanfragen und die Dokumentation von Vorfällen. Es enthält die Domain, nie das Postfach.',
    recordLink: 'Druckbares Nachweisprotokoll öffnen',
    checkedAt: 'Geprüft um',
    recordTitle: 'Nachweisprotokoll einer Selbstprüfung',
    recordInvalid: 'Dieser Link ist kein gültiges Nachweisprotokoll dieser Seite: Er wurde verändert, abgeschnitten oder woanders ausgestellt.',
    recordVerified: 'Von dieser Seite ausgestellt und signiert. Eine Änderung am Link macht ihn ungültig.',
    recordDomain: 'Domain',
    recordCode: 'Code',
    recordVerdict: 'Ergebnis',
    recordStatus: 'Unser Status zu diesem Zeitpunkt',
    recordFacts: 'Durchgeführte Prüfungen',
    recordCrowd: 'Nutzermeldungen des Codes in der letzten Stunde',
    recordPrint: 'Diese Seite drucken oder als PDF speichern (Strg+P / ⌘P).',
    recordAgain: 'Jetzt erneut prüfen',
    none: 'keine',
    codesTitle: 'Fehlercodes bei Zustellung und Anmeldung',
    codesDescription: 'Zustellcodes von Exchange Online (Unzustellbarkeitsnachrichten) und Anmeldecodes von Entra ID erklärt: Bedeutung, wessen Seite, Ursachen und Lösungen.',
    codesNdr: 'Zustellcodes von Exchange Online (NDR)',
    codesAadsts: 'Anmeldecodes von Entra ID (AADSTS)',
    codeCheckLink: 'Ihre Domain mit diesem Code prüfen',
    allCodes: 'Alle Codes',
    codePageTitle: '{code}: {title}',
  },
} satisfies Record<Lang, Record<string, string>>;
export type UiText = (typeof UI)['en'];
