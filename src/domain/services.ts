/**
 * The service catalog: every Microsoft service Outage Radar tracks, with its names, the words
 * that identify it in text, and the names each official source uses for it. Pure data.
 */
export const SERVICE_IDS = [
  'outlook-com',
  'exchange-online',
  'teams',
  'sharepoint',
  'onedrive',
  'm365-apps',
  'entra-id',
  'copilot',
  'azure',
  'm365-admin',
] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export interface ServiceDefinition {
  id: ServiceId;
  name: { en: string; de: string };
  /** One sentence for the service page. */
  description: { en: string; de: string };
  /**
   * Terms that name this service on their own (case-insensitive, matched on word boundaries;
   * a hyphen counts as a boundary, so "Outlook-Störung" matches "outlook").
   */
  strongTerms: string[];
  /** Terms that only count next to a Microsoft or mail context word. */
  weakTerms: string[];
  /** Graph `serviceHealth.service` / `serviceHealthIssue.service` display names. */
  graphServiceNames: string[];
  /** Graph issue-id prefixes whose issues belong to this service by default. */
  graphIssuePrefixes: string[];
  /** status.cloud.microsoft `ServiceWorkloadName` values (m365Consumer) and post families. */
  statusWorkloads: string[];
  /** Azure status RSS categories / words in an Azure incident that break this service. */
  azureTerms: string[];
}

export const SERVICES: readonly ServiceDefinition[] = [
  {
    id: 'outlook-com',
    name: { en: 'Outlook.com', de: 'Outlook.com' },
    description: {
      en: 'Free consumer mail: Outlook.com, Hotmail and Live addresses.',
      de: 'Kostenlose Privatkunden-Mail: Outlook.com-, Hotmail- und Live-Adressen.',
    },
    strongTerms: ['outlook.com', 'hotmail', 'hotmail.com', 'live.com', 'msn mail'],
    weakTerms: ['microsoft account', 'microsoft-konto'],
    graphServiceNames: [],
    graphIssuePrefixes: [],
    statusWorkloads: ['Outlook.com'],
    azureTerms: [],
  },
  {
    id: 'exchange-online',
    name: { en: 'Outlook & Exchange Online (work)', de: 'Outlook & Exchange Online (Arbeit)' },
    description: {
      en: 'Business mail in Microsoft 365: Outlook desktop, Outlook on the web, mobile and mail flow.',
      de: 'Geschäftliche Mail in Microsoft 365: Outlook-Desktop, Outlook im Web, mobil und Mailfluss.',
    },
    strongTerms: [
      'outlook',
      'exchange online',
      'exchange-online',
      'outlook on the web',
      'outlook web app',
      'owa',
      'new outlook',
      'neues outlook',
      'outlook.office.com',
      'outlook.office365.com',
      'exchange online protection',
    ],
    weakTerms: ['exchange', 'mail flow', 'mailfluss', 'postfach', 'mailbox', 'posteingang', 'inbox', 'e-mail', 'email'],
    graphServiceNames: ['Exchange Online'],
    graphIssuePrefixes: ['EX'],
    statusWorkloads: ['Exchange', 'ExchangeOnline'],
    azureTerms: [],
  },
  {
    id: 'teams',
    name: { en: 'Microsoft Teams', de: 'Microsoft Teams' },
    description: {
      en: 'Chat, meetings and calls in Microsoft Teams, including Teams Free.',
      de: 'Chat, Besprechungen und Anrufe in Microsoft Teams, auch Teams Free.',
    },
    strongTerms: ['microsoft teams', 'ms teams', 'teams free', 'teams.microsoft.com', 'teams meeting', 'teams-besprechung'],
    weakTerms: ['teams'],
    graphServiceNames: ['Microsoft Teams'],
    graphIssuePrefixes: ['TM'],
    statusWorkloads: ['TeamsforLife', 'Teams'],
    azureTerms: [],
  },
  {
    id: 'sharepoint',
    name: { en: 'SharePoint Online', de: 'SharePoint Online' },
    description: {
      en: 'Sites, lists and document libraries in SharePoint Online.',
      de: 'Websites, Listen und Dokumentbibliotheken in SharePoint Online.',
    },
    strongTerms: ['sharepoint', 'sharepoint online', 'sharepoint.com'],
    weakTerms: [],
    graphServiceNames: ['SharePoint Online'],
    graphIssuePrefixes: ['SP'],
    statusWorkloads: ['ConsumerList'],
    azureTerms: [],
  },
  {
    id: 'onedrive',
    name: { en: 'OneDrive', de: 'OneDrive' },
    description: {
      en: 'File storage and sync in OneDrive, personal and for business.',
      de: 'Dateispeicher und Synchronisierung in OneDrive, privat und geschäftlich.',
    },
    strongTerms: ['onedrive', 'onedrive for business', 'onedrive-sync'],
    weakTerms: [],
    graphServiceNames: ['OneDrive for Business'],
    graphIssuePrefixes: ['OD'],
    statusWorkloads: ['OneDriveConsumer'],
    azureTerms: [],
  },
  {
    id: 'm365-apps',
    name: { en: 'Microsoft 365 apps & Office for the web', de: 'Microsoft-365-Apps & Office im Web' },
    description: {
      en: 'Word, Excel, PowerPoint and the Microsoft 365 suite, on the desktop and on the web.',
      de: 'Word, Excel, PowerPoint und die Microsoft-365-Suite, am Desktop und im Web.',
    },
    strongTerms: [
      'microsoft 365',
      'm365',
      'office 365',
      'o365',
      'microsoft 365 apps',
      'office for the web',
      'office.com',
      'microsoft-365-dienste',
      'word online',
      'excel online',
    ],
    weakTerms: ['office', 'word', 'excel', 'powerpoint'],
    graphServiceNames: ['Microsoft 365 suite', 'Microsoft 365 apps', 'Office for the web'],
    graphIssuePrefixes: ['MO', 'OP', 'OF'],
    statusWorkloads: ['M365Consumer', 'OfficeOnlineConsumer'],
    azureTerms: [],
  },
  {
    id: 'entra-id',
    name: { en: 'Entra ID sign-in', de: 'Entra-ID-Anmeldung' },
    description: {
      en: 'Signing in to Microsoft 365 and Azure: Entra ID (Azure AD), MFA and the Authenticator.',
      de: 'Die Anmeldung bei Microsoft 365 und Azure: Entra ID (Azure AD), MFA und der Authenticator.',
    },
    strongTerms: [
      'entra id',
      'microsoft entra',
      'azure ad',
      'azure active directory',
      'login.microsoftonline.com',
      'entra',
      'aad',
    ],
    weakTerms: ['sign-in', 'anmeldung', 'login', 'mfa', 'authenticator', 'authentifizierung', 'anmeldeprobleme'],
    graphServiceNames: ['Microsoft Entra', 'Microsoft Entra ID', 'Azure Active Directory', 'Identity Service'],
    graphIssuePrefixes: ['AD', 'ID'],
    statusWorkloads: [],
    azureTerms: ['azure active directory', 'entra', 'identity', 'authentication', 'multi-factor', 'mfa'],
  },
  {
    id: 'copilot',
    name: { en: 'Copilot', de: 'Copilot' },
    description: {
      en: 'Microsoft 365 Copilot, Copilot Chat and the consumer Copilot app.',
      de: 'Microsoft 365 Copilot, Copilot Chat und die Copilot-App für Privatkunden.',
    },
    strongTerms: ['copilot', 'microsoft 365 copilot', 'copilot chat', 'microsoft copilot'],
    weakTerms: [],
    graphServiceNames: ['Microsoft Copilot (Microsoft 365)', 'Microsoft 365 Copilot', 'Microsoft 365 Copilot Chat'],
    graphIssuePrefixes: ['CP', 'CW'],
    statusWorkloads: ['CopilotConsumer'],
    azureTerms: [],
  },
  {
    id: 'azure',
    name: { en: 'Azure', de: 'Azure' },
    description: {
      en: 'Microsoft Azure cloud services, including Azure Front Door and the Azure portal.',
      de: 'Die Cloud-Dienste von Microsoft Azure, auch Azure Front Door und das Azure-Portal.',
    },
    strongTerms: ['azure', 'azure front door', 'afd', 'azure portal', 'azure-portal'],
    weakTerms: [],
    graphServiceNames: [],
    graphIssuePrefixes: [],
    statusWorkloads: ['Azure'],
    azureTerms: ['*'],
  },
  {
    id: 'm365-admin',
    name: { en: 'Microsoft 365 admin center', de: 'Microsoft 365 Admin Center' },
    description: {
      en: 'The admin center where tenant administrators read Service health.',
      de: 'Das Admin Center, in dem Administratoren den Dienststatus lesen.',
    },
    strongTerms: ['admin center', 'admin-center', 'microsoft 365 admin center', 'admin.microsoft.com', 'service health', 'dienststatus', 'dienstintegrität'],
    weakTerms: [],
    graphServiceNames: ['Microsoft 365 admin center'],
    graphIssuePrefixes: ['MA'],
    statusWorkloads: ['mac'],
    azureTerms: [],
  },
];

const BY_ID = new Map<string, ServiceDefinition>(SERVICES.map((s) => [s.id, s]));

/** True when `id` names a catalog service. */
export function isServiceId(id: string): id is ServiceId {
  return BY_ID.has(id);
}

/** The catalog entry for `id`; throws on an unknown id (a programming error, not input). */
export function getService(id: ServiceId): ServiceDefinition {
  const s = BY_ID.get(id);
  if (!s) throw new Error(`unknown service id: ${id}`);
  return s;
}

/** Services whose Graph issue-id prefix matches `ref` (e.g. EX1151485 → exchange-online). */
export function servicesForOfficialRef(ref: string): ServiceId[] {
  const prefix = ref.slice(0, 2).toUpperCase();
  return SERVICES.filter((s) => s.graphIssuePrefixes.includes(prefix)).map((s) => s.id);
}

/** Services named by a Graph service display name, compared case-insensitively. */
export function servicesForGraphName(name: string): ServiceId[] {
  const n = name.trim().toLowerCase();
  return SERVICES.filter((s) => s.graphServiceNames.some((g) => g.toLowerCase() === n)).map((s) => s.id);
}

/** Services named by a status.cloud.microsoft workload name, compared case-insensitively. */
export function servicesForWorkload(workload: string): ServiceId[] {
  const n = workload.trim().toLowerCase();
  return SERVICES.filter((s) => s.statusWorkloads.some((w) => w.toLowerCase() === n)).map((s) => s.id);
}

/** Microsoft incident / issue ids: two capital letters and 5–8 digits (MC posts are change notices, not incidents). */
export const OFFICIAL_REF_PATTERN = /\b(?!MC)[A-Z]{2}\d{5,8}\b/g;

/** All distinct official refs in `text`. */
export function findOfficialRefs(text: string): string[] {
  return [...new Set(text.match(OFFICIAL_REF_PATTERN) ?? [])];
}
