/**
 * Word lists the press/community classifier uses, as data. Terms are lower case; a space matches
 * any run of spaces or hyphens ("microsoft 365" matches "Microsoft-365-Dienste"); a leading `*`
 * allows letters before the term (German closed compounds: "Großstörung"), a trailing `*` allows
 * letters after it; umlauts also match their ae/oe/ue/ss spellings. A RegExp is used as is (on
 * lower-cased text). The matching code in classify.ts knows nothing about particular words.
 */
import type { ServiceId } from '../../src/domain/services.ts';

export type Term = string | RegExp;

/** Words that report a current disruption outright. */
export const OUTAGE_STRONG: readonly Term[] = [
  // en
  'outage', 'outages', 'down', 'is down', 'went down', 'goes down', 'not working', 'stopped working', 'stops working',
  'unavailable', 'inaccessible', 'unreachable', 'disruption', 'disruptions', 'disrupted', 'disrupts', 'service interruption',
  'interruption', 'offline', 'knocked offline', 'knocks offline', 'takes down', 'took down', 'crash', 'crashes', 'crashing',
  'crashed', 'fails', 'failing', 'fail to', 'failed to', 'failure', 'failures', 'broken', 'blackout', 'meltdown',
  "can't access", 'cannot access', 'unable to', "can't sign in", 'locked out', 'lock users out', 'not loading',
  'won\'t load', 'not syncing', 'stops syncing', 'blocks access',
  // de
  '*störung', '*störungen', 'gestört', '*ausfall', '*ausfälle', 'ausgefallen', 'totalausfall', '*panne', '*pannen',
  'nicht erreichbar', 'nicht verfügbar', 'nicht nutzbar', 'nicht mehr erreichbar', 'lahmgelegt', /\blegt(?:e|en)?\b[^.!?]{0,60}\blahm\b/,
  'streikt', 'streiken', 'stillstand', 'geht nicht', 'gehen nicht', 'funktioniert nicht', 'funktionieren nicht',
  'stürzt ab', 'stürzen ab', 'absturz', 'abstürze', 'kein zugriff', 'ohne zugriff', 'können nicht', 'können keine',
  'kann nicht', 'lassen sich nicht', 'lässt sich nicht', 'schlägt fehl', 'schlagen fehl',
  // "Anmeldung scheitert" is an outage; "scheitert mit einem Antrag", "scheitert an …" is not.
  /\bscheiter(?:t|n)\b(?!\s+(?:mit|an|vor|am|im|in|bei)\b)/u,
  'brechen ab', 'bricht ab', 'lädt nicht', 'laden nicht', 'antwortet nicht', 'klappt nicht', 'klappen nicht',
  'kommen nicht an', 'kommt nicht an', 'go down', /\b(?:nicht|keine?n?)\s+(?:\p{L}+\s+){0,2}möglich\b/u, '503 service unavailable',
  // Idioms: tech-press English ("falls over", "goes dark") and colloquial German ("geht gar nichts", "ist weg").
  'falls over', 'fell over', 'fall over', 'falling over', 'goes dark', 'went dark', 'go dark', 'takes a tumble', 'took a tumble',
  'keels over', 'conks out', 'borked', 'titsup', 'goes belly up', 'on the fritz', 'faceplant', 'faceplants', 'face-plants',
  'geht nichts', 'geht gar nichts', 'nichts geht', 'nichts geht mehr', 'ist weg', 'sind weg', 'gerade weg', 'macht schlapp',
  'machen schlapp', 'spinnt', 'blank screen', 'white screen', 'blank page', 'weiße seite', 'leere seite', 'bleibt leer', 'bleibt weiß',
];

/**
 * Negation + a verb of using a service ("können sich nicht einloggen", "werden nicht mehr
 * synchronisiert", "can't sign in", "unable to join"): a current outage. A negation counts when the
 * verb follows within `NEGATION_WINDOW` words in the same clause, or when the verb comes right
 * before it (German verb-second: "Outlook startet nicht").
 */
export const NEGATIONS: readonly Term[] = [
  'nicht', 'nicht mehr', 'kein', 'keine', 'keinen', 'keine mehr', 'nicht länger',
  "can't", 'cant', 'cannot', 'can not', "couldn't", 'unable to', "won't", 'will not', "isn't", "aren't", "doesn't", "don't",
  'not', 'fail to', 'fails to', 'failing to', 'failed to',
];

/** Verbs (and their forms) of using a mail, chat, file or sign-in service. */
export const FUNCTION_VERBS: readonly Term[] = [
  // de
  'synchronisier*', 'einlogg*', 'eingeloggt', 'anmelden', 'anmeldet', 'angemeldet', 'öffnen', 'öffnet', 'geöffnet', 'laden', 'lädt',
  'geladen', 'starten', 'startet', 'gestartet', 'senden', 'sendet', 'gesendet', 'versenden', 'versendet', 'verschicken', 'verschickt',
  'empfangen', 'empfängt', 'abrufen', 'abgerufen', 'zugreifen', 'verbinden', 'verbindet', 'zugestellt', 'zustellen',
  'hochladen', 'hochgeladen', 'herunterladen', 'heruntergeladen', 'speichern', 'speichert', 'gespeichert', 'aufrufen', 'aufgerufen',
  'beitreten', 'teilnehmen', 'telefonieren', 'einwählen', 'ankommen', 'reagiert', 'reagieren',
  // en
  'sign in', 'sign into', 'signing in', 'log in', 'log into', 'logging in', 'login', 'load', 'loading', 'sync', 'syncing', 'send',
  'sending', 'receive', 'receiving', 'connect', 'connecting', 'join', 'joining', 'access', 'accessing', 'open', 'opening', 'start',
  'starting', 'launch', 'launching', 'upload', 'uploading', 'download', 'downloading', 'save', 'saving', 'deliver', 'delivering',
  'respond', 'responding', 'authenticate', 'work', 'working',
  // "Outlook funktioniert wieder nicht", "Teams geht immer noch nicht" (verb first, negation after).
  'funktioniert', 'funktionieren', 'geht', 'gehen', 'klappt', 'klappen',
];

/**
 * How many words may sit between a negation and the verb it negates ("können sich seit Stunden nicht
 * einloggen"); a verb before its negation allows `NEGATION_WINDOW - 1` ("startet immer noch nicht").
 */
export const NEGATION_WINDOW = 3;

/** Words that contain an outage word without meaning one; blanked before outage words are matched. */
export const OUTAGE_FALSE_FRIENDS: readonly Term[] = ['zerstörung', 'zerstörungen', 'datenpanne', 'datenpannen', 'zahlungsausfall', 'zahlungsausfälle'];

/** Words that report trouble short of an outage, or an acknowledgement that something is wrong. */
export const OUTAGE_MEDIUM: readonly Term[] = [
  // en
  'issue', 'issues', 'problem', 'problems', 'degraded', 'degradation', 'delay', 'delays', 'delayed', 'slow', 'slowdown',
  'error', 'errors', 'elevated errors', 'intermittent', 'glitch', 'glitches', 'trouble', 'troubles', 'struggling',
  'dropping', 'hit by', 'hits', 'affected', 'affects', 'impacted', 'impacting', 'bounces', 'bouncing', 'something went wrong',
  'investigating', 'investigates', 'looking into', 'users report', 'report problems', 'suffers', 'anyone else', 'is it just me',
  "we're investigating", 'service degradation', 'login problems', 'sign-in issues', 'rolled back', 'reverted',
  // de
  'probleme', 'problemen', 'problem', 'einschränkungen', 'eingeschränkt', 'beeinträchtigt', 'beeinträchtigung*', 'verzögerungen',
  'verzögert', 'verspätet', 'langsam', 'fehler', 'fehlermeldung*', 'anmeldeprobleme', 'verbindungsprobleme', 'zustellprobleme',
  'lahm', 'hängt', 'hängen', 'hakt', 'zickt', 'mucken', 'macht probleme', 'betroffen', 'untersucht', 'bestätigt problem',
  'arbeitet an einer lösung', 'nutzer melden', 'keine mails', 'keine e-mails', 'erhalten keine', 'zeigt keine',
  'nutzer berichten', '*beschwerden', 'auch bei euch', 'bei euch auch', 'bei mir auch', 'stumbles', 'stumbled', 'wobble', 'wobbles',
  'hiccup', 'hiccups', 'tumbles', 'schwächelt', 'muckt', 'mit hochdruck', 'login-fehler', '*störungsmeldungen',
  '*beeinträchtigung', 'serviceverschlechterung', 'zurückgerollt', 'zurückgenommen',
];

/**
 * Words that place an incident in the text without reporting a current one ("bug", "incident"): they
 * let the contextual resolution and follow-up words below count, and open nothing themselves.
 */
export const OUTAGE_CONTEXT: readonly Term[] = [
  'bug', 'bugs', 'incident', 'incidents', 'downtime', 'vorfall', 'ausfallzeit*',
  // Past tense: the outage is over ("Warum Microsoft 365 ausfiel").
  'ausfiel', 'ausfielen', 'fiel aus', 'fielen aus', 'lahmlag', 'lahmlagen', 'streikte', 'streikten', 'gestört war', 'gestört waren',
];

/**
 * The disruption is over. A resolution word right after a negation ("noch nicht behoben", "not yet
 * restored") or right before one or an outage word ("ist wieder down", "is back down", "funktioniert
 * wieder nicht") does not count: that is a disruption going on or coming back.
 */
export const RESOLUTION: readonly Term[] = [
  'resolved', 'restored', 'back up', 'back online', 'mitigated', 'recovered', 'recovering', 'fully recovered', 'working again',
  'back to normal', 'up and running', 'service restored', 'restoring', 'returns to normal', 'back in service',
  /\bend of (?:the |this |an? )?[\p{L}\d' -]{0,30}(?:outage|disruption|incident)\b/u,
  'behoben', 'wiederhergestellt', 'entwarnung', 'normalbetrieb', 'ausgestanden', 'überstanden', 'vorüber', 'ist vorbei', 'sind vorbei',
  /\b(?:läuft|laufen|geht|gehen|klappt|klappen|funktioniert|funktionieren)\s+(?:\p{L}+\s+)?wieder\b/u,
  /\bwieder\s+(?:normal|stabil|erreichbar|verfügbar|online|nutzbar|aufrufbar|zugänglich|da|im normalbetrieb|an)\b/u,
  /\bende\s+(?:der|des|einer|eines)\s+(?:\p{L}+\s+)?[\p{L}-]*(?:störung|störungen|ausfalls?|ausfälle|panne|probleme)\b/u,
  /\b(?:störung|störungen|ausfall|panne|probleme)\s+(?:ist\s+|sind\s+)?beendet\b/u,
];

/** Resolution words that are also everyday verbs ("Microsoft ends support"): they count only where the text names trouble. */
export const RESOLUTION_CONTEXTUAL: readonly Term[] = [
  'restores', 'is back', 'are back', 'fixed', 'fixes', 'ends', 'ended', 'is over', 'beendet', 'beendet*', 'beseitigt', 'vorbei',
  'behebt',
];

/** Looking back at a finished disruption: cause, post-mortem, apology, compensation, lessons. Attaches, never opens. */
export const FOLLOWUP: readonly Term[] = [
  'what caused', 'root cause', 'post mortem', 'postmortem', 'post incident', 'incident report', 'incident review',
  'preliminary report', 'what went wrong', 'what happened', 'why did', "here's why", 'after the outage', 'following the outage',
  /\bnach de[mr] [\p{L}\d-]*(?:störung|stoerung|ausfall|panne)\b/u, 'nach der störung', 'nach dem ausfall',
];

/**
 * Follow-up words that are everyday words too ("Microsoft explains new features", "Ursache"): they count
 * only where the text names an outage, a resolution or an incident.
 */
export const FOLLOWUP_CONTEXTUAL: readonly Term[] = [
  'caused by', 'explains', 'explained', 'blames', 'blamed', 'traced to', 'cause of', 'reveals cause', 'apologizes', 'apologises',
  'apology', 'compensation', 'compensates', 'compensate', 'service credits', 'credits', 'refund', 'refunds', 'lessons',
  'aftermath', 'in the wake of', 'days after', 'weeks after',
  '*ursache', 'ursachen', 'als grund', 'grund für', 'gründe', 'erklärt', 'erklärung', 'begründet', 'entschuldigt', 'entschuldigung',
  'entschädigung', 'entschädigt', 'entschädigen', 'gutschrift*', 'rückblick', 'aufarbeitung', 'lehren', 'verspricht verbesserungen',
  'nachbetrachtung', 'analyse',
  // A vendor handing out its account of what happened: "Microsoft shares incident report", "veröffentlicht Bericht".
  /\b(?:shares|publishes|published|releases|posts|reveals|offers|gives|veröffentlicht|liefert|nennt|legt)\s+(?:\p{L}+\s+){0,3}?(?:report|details|findings|review|analysis|explanation|timeline|bericht|analyse|erklärung|details|gründe)\b/u,
  // A cause as the subject of a past-tense outage verb: "Fehlerhaftes Zertifikat legte Exchange lahm", "Bad update took down Teams".
  /\b(?:fehlerhafte[rsnm]?|defekte[rsnm]?|abgelaufene[rsnm]?|falsche[rsnm]?|bad|faulty|buggy|expired|botched|misconfigured)\s+(?:[\p{L}-]+\s+){1,2}?(?:legte|legten|brachte|brachten|sorgte|verursachte|took|knocked|caused|brought|triggered)\b/u,
  // "Why did Microsoft 365 go down", "Warum Outlook ausfiel": asking why, in the past.
  /\bwarum\b.*\b(?:war|waren|fiel|fielen|ausfiel|ausfielen|streikte|streikten|lag|lagen)\b/u,
];

/**
 * A title that opens with the aftermath of an incident ("Nach Outlook-Ausfall: …", "After last week's
 * Teams outage, …") is a follow-up, unless what comes after the opening reports a new outage, a
 * resolution or is a how-to.
 */
export const AFTERMATH_OPENERS: readonly Term[] = [
  /^nach\s+(?:de[mnr]\s+|eine[mnr]?\s+)?(?:[\p{L}\d.-]+\s+){0,2}?[\p{L}\d-]*(?:störung|störungen|ausfall|ausfällen|panne|pannen)\b/u,
  /^(?:after|following|in the wake of)\s+(?:[\p{L}\d'.-]+\s+){0,4}?(?:outage|outages|disruption|downtime|meltdown|incident)\b/u,
];

/** How-tos and evergreen service pieces: they attach to an incident as context, never open one. */
export const EXPLAINER: readonly Term[] = [
  'how to', 'how do i', 'how do you', "here's how", 'here is how', 'what to do', 'tips', 'guide', 'troubleshoot*',
  'step by step', /^fix(?:ed)?:/, 'ways to', 'explainer', 'faq', 'try these', 'workarounds',
  /\b(?:here's|here is)\s+what\s+(?:you|to|users|admins)\b/u, /\bwhat\s+(?:you|users|admins|it admins)\s+(?:can|should|need to)\s+do\b/u,
  "so klappt", "so geht's", 'so geht', 'anleitung', 'tipps', 'ratgeber', 'was tun', 'hilfe bei', 'checkliste', 'reparieren',
  'einrichten', 'lösungen', 'abhilfe',
  // "So beheben Sie …", "So richten Sie … ein", "So prüfen Sie …": the German how-to opener.
  /\bso\s+\p{L}+\s+sie\b/u,
  // "Das können Sie tun", "Was Sie jetzt tun sollten", "Was Nutzer tun können".
  /\b(?:das|dies|was)\s+(?:können|könnt|sollten|müssen)\s+(?:sie|ihr|nutzer|admins|anwender|unternehmen|betroffene)\s+(?:jetzt\s+|dann\s+|dagegen\s+)?tun\b/u,
  /\bwas\s+(?:sie|ihr|nutzer|admins|anwender|unternehmen|betroffene)\s+(?:jetzt\s+|dann\s+|dagegen\s+)?tun\s+(?:können|könnt|sollten|müssen)\b/u,
  /\bdiese\s+(?:\p{L}+\s+)?(?:tipps|tricks|lösungen|schritte)\b/u,
  // "Der Dienststatus im Admin Center erklärt", "Microsoft-365-Lizenzen einfach erklärt": a title ending in "erklärt" after a noun phrase.
  /(?:^|[:|]\s*)(?:der|die|das|ein|eine)\s[^:|]*\berklärt\s*$/u, /\b(?:einfach|kurz|verständlich)\s+erklärt\b/u,
  // Listicles: "five alternatives", "7 ways to fix", "Fünf Tipps".
  /(?<![\p{L}\p{N}])(?:\d+|two|three|four|five|six|seven|eight|nine|ten|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn)\s+(?:\p{L}+\s+)?(?:ways|tips|fixes|alternatives|options|workarounds|tricks|solutions|steps|lösungen|tipps|alternativen|wege|schritte)\b/u,
];

/** Advertising and sponsored items. */
export const ADS: readonly Term[] = [
  /^heise-angebot\b/, 'heise-angebot', /^anzeige\b/, 'anzeige:', 'anzeige |', 'sponsored', 'advertorial', /^deals?\b/, 'deal:',
  'deal alert', 'best deals', 'black friday', 'cyber monday', 'webinar', 'workshop', 'online-workshop', 'gewinnspiel',
  'rabatt', 'gutschein', 'prozent günstiger', '% off', 'lifetime license', 'lifetime subscription', /^techstage\b/,
];

/** Security stories: vulnerabilities, attacks, patches. Not outages unless a strong outage word is also there. */
export const SECURITY: readonly Term[] = [
  /\bcve-\d{4}-\d{3,}/, 'vulnerability', 'vulnerabilities', 'flaw', 'flaws', 'exploit', 'exploits', 'exploited', 'exploitation',
  'zero day', 'zero-day', 'bug bounty', 'patchday', 'patch tuesday', 'phishing', 'malware', 'ransomware', 'hacker', 'hackers', 'hacked',
  'attackers', 'spoof', 'spoofing', 'breach', 'backdoor', 'security update', 'proxylogon', 'proxyshell', 'toolshell',
  'sicherheitslücke*', '*lücke', '*lücken', 'schwachstelle*', 'angreifer', 'datenleck', 'datenpanne', 'datenabfluss', 'sicherheitsupdate',
];

/** Finance and stock news. */
export const FINANCE: readonly Term[] = [
  '*aktie', 'aktien', 'stock', 'stocks', 'earnings', 'shareholder*', 'share price', 'shares of',
  // "shares" is finance only as the subject of a market move; "Microsoft shares incident report" is a verb.
  /\bshares\s+(?:\p{L}+\s+){0,2}?(?:drop|drops|dropped|fall|falls|fell|slip|slips|slipped|slide|slides|slid|rise|rises|rose|jump|jumps|jumped|surge|surges|surged|climb|climbs|climbed|gain|gains|gained|tumble|tumbles|tumbled|sink|sinks|sank|plunge|plunges|plunged|soar|soars|soared|rally|rallies|rallied|hit|hits|edge|edges|up|down|higher|lower|trade|traded|close|closed|extend|extends)\b/u, 'quartalszahlen', 'umsatz', 'revenue', 'analyst', 'analysts',
  'analysten', 'investor', 'investors', 'anleger', 'börse', 'nasdaq', 'dow jones', 'price target', 'kursziel', 'dividend',
  'market cap', 'wall street', 'quarterly results', 'fiscal year', 'geschäftszahlen',
];

/** Other companies' products; an outage of theirs is not ours (clause attribution in classify.ts). */
export const OTHER_VENDORS: readonly Term[] = [
  'gmail', 'google', 'google workspace', 'google cloud', 'slack', 'zoom', 'aws', 'amazon web services', 'cloudflare',
  'crowdstrike', 'github', 'openai', 'chatgpt', 'proton', 'proton mail', 'gmx', 'web.de', 't-online', 'yahoo', 'icloud',
  'apple', 'discord', 'spotify', 'signal', 'whatsapp', 'facebook', 'instagram', 'twitter', 'dropbox', 'salesforce',
  'webex', 'telekom', 'vodafone', 'ionos', 'fastly', 'akamai', 'oracle',
];

/** "Users switch to X", "X unaffected": X is a bystander of someone else's outage. */
export const BYSTANDER: readonly Term[] = [
  'unaffected', 'not affected', 'nicht betroffen', 'flock to', 'switch to', 'switching to', 'ausweichen', 'weichen auf',
  'alternative', 'alternatives', 'alternativen', 'instead', 'stattdessen', 'rivals', 'konkurrenz', 'profitiert', 'benefits',
];

/** "Abruf per Outlook", "via Teams": a name used as the tool for another vendor's service is a bystander there. */
export const INSTRUMENT_BEFORE: readonly string[] = ['per', 'via', 'using', 'mittels', 'über'];

/** Words that say the text is about Microsoft at all (context for weak service terms). */
export const MICROSOFT_CONTEXT: readonly Term[] = ['microsoft', 'microsofts', "microsoft's", 'ms', 'msft', 'redmond'];

/**
 * Phrases that contain a service word without naming the service. Their span is blanked before
 * service terms are matched.
 */
export const NOT_SERVICE_PHRASES: readonly Term[] = [
  'github copilot', 'copilot+ pc', 'copilot+ pcs', 'copilot+', 'copilot-pc*',
  'exchange server', 'exchange-server', 'exchange se', /\bexchange(?: server)? 20(?:10|13|16|19)\b/, 'sharepoint server',
  /\bsharepoint(?: server)? 20(?:13|16|19)\b/, 'lokale exchange', 'exchange on premises', 'exchange on-premises',
  'economic outlook', 'financial outlook', 'market outlook', 'business outlook', 'growth outlook', 'earnings outlook',
  'revenue outlook', 'sales outlook', 'weather outlook', 'global outlook', 'industry outlook', 'annual outlook', 'quarterly outlook',
  /\b(?:raises|raised|cuts|cut|lowers|lowered|lifts|trims|boosts|maintains|reaffirms|keeps)\s+(?:its\s+|annual\s+|full-year\s+)?outlook\b/,
  /\boutlook\s+(?:20\d\d|for\s+(?:20\d\d|the\s+(?:year|quarter|economy|industry|market|sector)|q[1-4]|fiscal|next\s+year))\b/,
  'stock exchange', 'crypto exchange', 'data exchange', 'exchange rate', 'exchange rates', 'in exchange for', 'foreign exchange',
  'home office', 'home-office', 'box office', 'back office', 'oval office', 'head office', 'post office', 'front office',
  'office space', 'office building', 'the word', 'a word', 'word of',
  // "Refer to EX123 in the admin center": where Microsoft posts, not what is broken.
  /\b(?:in|im|ins|via|through|über das)\s+(?:the\s+|dem\s+)?(?:microsoft[\s-]365[\s-]|m365[\s-])?admin[\s-]?(?:center|centre)\b/u,
];

/**
 * Service terms that are also common words. `capital`: must start upper-case in the original (for
 * edited text only; community posts are matched case-blind). `cue`: needs a product cue within
 * `CUE_WINDOW` words (another service, Microsoft, an outage or resolution word, or a product noun).
 * `blockBefore`: a word right before it that makes it a common noun. `notCompoundHead`: "IT-Teams"
 * is a team, "Teams-Ausfall" is the product. `requireContext`: a term that must also appear.
 */
export interface AmbiguousRule {
  capital: boolean;
  cue: boolean;
  blockBefore: readonly string[];
  notCompoundHead: boolean;
  requireContext?: readonly Term[];
  /** The term names someone else's product when this appears anywhere in the text. */
  blockedByContext?: readonly Term[];
}

const COMMON_MODIFIERS = [
  'their', 'our', 'your', 'its', 'his', 'her', 'my', 'the', 'these', 'those', 'many', 'several', 'two', 'three', 'small', 'large',
  'sales', 'product', 'it', 'security', 'engineering', 'support', 'dev', 'development', 'marketing', 'remote', 'hybrid',
  'rescue', 'red', 'blue', 'agile', 'ops', 'devops', 'design', 'research', 'national', 'sports', 'football',
  'ihre', 'unsere', 'seine', 'viele', 'mehrere', 'die', 'kleine', 'große', 'eigene', 'eigenen', 'alle',
];

export const AMBIGUOUS_TERMS: Readonly<Record<string, AmbiguousRule>> = {
  outlook: { capital: true, cue: false, blockBefore: [], notCompoundHead: false },
  teams: { capital: true, cue: true, blockBefore: COMMON_MODIFIERS, notCompoundHead: true },
  exchange: { capital: true, cue: true, blockBefore: ['stock', 'crypto', 'data', 'foreign', 'currency', 'in', 'an', 'the'], notCompoundHead: true },
  office: { capital: true, cue: true, blockBefore: ['home', 'box', 'back', 'oval', 'post', 'head', 'front', 'the', 'an', 'im', 'ins'], notCompoundHead: true },
  word: { capital: true, cue: true, blockBefore: ['the', 'a', 'one', 'last', 'final', 'das', 'ein'], notCompoundHead: true },
  excel: { capital: true, cue: true, blockBefore: ['to'], notCompoundHead: true },
  powerpoint: { capital: false, cue: true, blockBefore: [], notCompoundHead: false },
  copilot: { capital: false, cue: false, blockBefore: [], notCompoundHead: false, blockedByContext: ['github'] },
  afd: { capital: false, cue: false, blockBefore: [], notCompoundHead: false, requireContext: ['azure', 'front door', 'cdn'] },
  entra: { capital: false, cue: false, blockBefore: [], notCompoundHead: false },
};

/**
 * Determiners that make "Teams"/"Office" a common noun ("the teams") unless an outage word or a
 * product noun follows ("the Teams outage", "the Teams app").
 */
export const DETERMINERS: readonly string[] = ['the', 'a', 'an', 'die', 'der', 'das', 'den', 'dem', 'ein', 'eine'];

/**
 * "for Microsoft 365 users", "für Microsoft-365-Kunden": the people affected, not the broken
 * service. Such a name is dropped when another service is named.
 */
export const AUDIENCE_BEFORE: readonly string[] = ['for', 'für'];
export const AUDIENCE_AFTER: readonly string[] = ['users', 'customers', 'subscribers', 'admins', 'tenants', 'nutzer', 'nutzern', 'kunden', 'anwender', 'abonnenten'];

/** Words close to an ambiguous product name that say "the product": app, client, calls, … */
export const PRODUCT_NOUNS: readonly Term[] = [
  'app', 'apps', 'client', 'desktop', 'mobile', 'web', 'online', 'chat', 'chats', 'call', 'calls', 'meeting', 'meetings',
  'besprechung*', 'kalender', 'calendar', 'nutzer', 'users', 'user', 'konto', 'account', 'admin', 'admins', 'channel',
  'channels', 'kanäle', 'meetings', 'video*', 'anrufe', 'nachrichten', 'messages',
];

/** Words between two listed names ("Outlook, Teams und OneDrive"). */
export const CUE_WINDOW = 3;

/** Suffixes that form closed compounds with a service name or with "mail": Outlookausfall, #outlookdown. */
export const COMPOUND_SUFFIXES: readonly string[] = ['ausfall', 'ausfälle', 'störung', 'störungen', 'probleme', 'panne', 'chaos', 'down'];

/** Extra terms per service beyond the catalog (inflections and phrasings the catalog does not list). */
export const SERVICE_TERM_EXTRAS: Readonly<Partial<Record<ServiceId, { strong?: readonly string[]; weak?: readonly string[] }>>> = {
  'exchange-online': {
    strong: ['outlook für windows', 'outlook for windows', 'outlook im web', 'outlook-app', 'outlook app'],
    weak: ['e-mails', 'emails', 'mail', 'mails', 'postfächer', 'mailboxes', 'webmail', 'mailzustellung', 'mail delivery', 'mailausfall'],
  },
  teams: { strong: ['teams-kalender', 'teams calls', 'teams-meetings', 'teams chat'] },
  'entra-id': {
    strong: ['microsoft authenticator', 'entra-id'],
    weak: ['sign-ins', 'sign in', 'log in', 'logins', 'anmelden', 'einloggen', 'anmeldeprobleme', 'anmeldeseite'],
  },
  'm365-apps': { strong: ['microsoft-365-dienste', 'office 365', 'word online', 'excel online'] },
  onedrive: { strong: ['onedrive-synchronisierung'] },
};

/**
 * A weak (topic) term of the key service does not count when one of these services is named
 * outright: mail words next to "Hotmail" are Outlook.com's, sign-in words next to "Outlook.com" are
 * the Microsoft account's, not Entra ID's.
 */
export const WEAK_TERM_BLOCKERS: Readonly<Partial<Record<ServiceId, readonly ServiceId[]>>> = {
  'exchange-online': ['outlook-com'],
  'outlook-com': ['exchange-online'],
  'entra-id': ['outlook-com'],
};

/** Clause boundaries for attributing an outage word to a name when another vendor is mentioned. */
export const CLAUSE_SPLIT = /[:;,!?|]|\s[–—-]\s|\s(?:as|while|after|als|während|nachdem|but|aber)\s/u;

/** Sentence boundaries for teaser text: a teaser's service counts only near trouble in its own sentence. */
export const SENTENCE_SPLIT = /[.!?;]\s|\n/u;

/** How close (in words) a teaser's service name must be to an outage or resolution word. */
export const SUMMARY_WINDOW = 6;

/** Score weights (documented in README § Press and community sources). */
export const WEIGHTS = {
  serviceInTitle: 3,
  serviceInSummary: 1,
  strongOutage: 3,
  mediumOutage: 2,
  officialRef: 4,
  exclusion: -5,
} as const;

/** Minimum score for kind `outage` (a named service plus any outage word reaches it). */
export const OUTAGE_MIN_SCORE = 5;
