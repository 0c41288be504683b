/**
 * Strict parsing of the self-check's two inputs: a domain or e-mail address, and an optional symptom
 * (a bounce text, a delivery code or a sign-in error). Pure: no I/O, nothing logged.
 *
 * The mailbox part of an address is dropped here and never leaves this module: callers only ever get
 * the domain. Anything that could turn user input into a host, a path or markup is refused with a
 * stable error code before a single DNS question or HTTP request is made.
 */
import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import type { Lang } from '../domain/vocabulary.ts';

export const SELF_CHECK_INPUT_ERROR_CODES = [
  'INPUT_EMPTY',
  'INPUT_TOO_LONG',
  'INPUT_CONTROL_CHARS',
  'INPUT_BAD_ADDRESS',
  'INPUT_BAD_CHARS',
  'INPUT_BAD_DOMAIN',
  'INPUT_IP_LITERAL',
  'INPUT_SINGLE_LABEL',
  'INPUT_LABEL_TOO_LONG',
  'INPUT_DOMAIN_TOO_LONG',
  'INPUT_RESERVED_DOMAIN',
  'SYMPTOM_TOO_LONG',
  'SYMPTOM_BAD_CHARS',
  'SYMPTOM_NO_CODE',
] as const;
export type SelfCheckInputErrorCode = (typeof SELF_CHECK_INPUT_ERROR_CODES)[number];

const ERROR_MESSAGES: Record<SelfCheckInputErrorCode, Record<Lang, string>> = {
  INPUT_EMPTY: {
    en: 'Enter a domain (contoso.com) or an e-mail address.',
    de: 'Bitte eine Domain (contoso.com) oder eine E-Mail-Adresse eingeben.',
  },
  INPUT_TOO_LONG: {
    en: 'That is longer than any e-mail address or domain can be.',
    de: 'Das ist länger, als eine E-Mail-Adresse oder Domain sein kann.',
  },
  INPUT_CONTROL_CHARS: {
    en: 'The address contains line breaks or control characters. Enter it on one line.',
    de: 'Die Adresse enthält Zeilenumbrüche oder Steuerzeichen. Bitte in einer Zeile eingeben.',
  },
  INPUT_BAD_ADDRESS: {
    en: 'That is not a usable e-mail address: it needs exactly one @ with a name before it and a domain after it.',
    de: 'Das ist keine brauchbare E-Mail-Adresse: Sie braucht genau ein @, davor einen Namen und danach eine Domain.',
  },
  INPUT_BAD_CHARS: {
    en: 'A domain may only contain letters, digits, hyphens and dots.',
    de: 'Eine Domain darf nur Buchstaben, Ziffern, Bindestriche und Punkte enthalten.',
  },
  INPUT_BAD_DOMAIN: {
    en: 'That is not a valid domain name.',
    de: 'Das ist kein gültiger Domainname.',
  },
  INPUT_IP_LITERAL: {
    en: 'IP addresses cannot be checked: enter the domain of the mailbox (the part after @).',
    de: 'IP-Adressen lassen sich nicht prüfen: Bitte die Domain des Postfachs eingeben (den Teil nach dem @).',
  },
  INPUT_SINGLE_LABEL: {
    en: 'A domain needs at least one dot (contoso.com). Names like "localhost" or "server" exist only inside a network.',
    de: 'Eine Domain braucht mindestens einen Punkt (contoso.com). Namen wie „localhost“ oder „server“ gibt es nur im eigenen Netz.',
  },
  INPUT_LABEL_TOO_LONG: {
    en: 'Each part of a domain between two dots may have at most 63 characters.',
    de: 'Jeder Teil einer Domain zwischen zwei Punkten darf höchstens 63 Zeichen haben.',
  },
  INPUT_DOMAIN_TOO_LONG: {
    en: 'A domain may have at most 253 characters.',
    de: 'Eine Domain darf höchstens 253 Zeichen haben.',
  },
  INPUT_RESERVED_DOMAIN: {
    en: 'That domain is reserved for local networks, tests or documentation and cannot exist at Microsoft.',
    de: 'Diese Domain ist für lokale Netze, Tests oder Dokumentation reserviert und kann bei Microsoft nicht existieren.',
  },
  SYMPTOM_TOO_LONG: {
    en: 'The bounce text is too long: paste the lines with the code (at most 2,000 characters).',
    de: 'Der Text der Unzustellbarkeitsnachricht ist zu lang: Bitte nur die Zeilen mit dem Code einfügen (höchstens 2.000 Zeichen).',
  },
  SYMPTOM_BAD_CHARS: {
    en: 'The bounce text contains control characters that cannot come from a mail or sign-in error.',
    de: 'Der Text enthält Steuerzeichen, die aus keiner Mail- oder Anmeldefehlermeldung stammen können.',
  },
  SYMPTOM_NO_CODE: {
    en: 'We found no code in that text. Look for something like 5.1.10, 550 5.7.1 or AADSTS50034.',
    de: 'In diesem Text steht kein Code. Gesucht wird etwas wie 5.1.10, 550 5.7.1 oder AADSTS50034.',
  },
};

/** Invalid self-check input. `code` is stable; `messages` is what the visitor reads, in both languages. */
export class SelfCheckInputError extends Error {
  readonly code: SelfCheckInputErrorCode;
  readonly field: 'target' | 'symptom';
  readonly messages: Record<Lang, string>;
  constructor(code: SelfCheckInputErrorCode, field: 'target' | 'symptom') {
    super(`${code}: ${ERROR_MESSAGES[code].en}`);
    this.name = 'SelfCheckInputError';
    this.code = code;
    this.field = field;
    this.messages = ERROR_MESSAGES[code];
  }
}

export function isSelfCheckInputError(err: unknown): err is SelfCheckInputError {
  return err instanceof SelfCheckInputError;
}

export interface ParsedTarget {
  /** Lowercase ASCII (punycode) domain: the only form that is ever sent anywhere. */
  domain: string;
  /** The same domain in Unicode, for display. */
  displayDomain: string;
  /** True when the visitor typed an address; the mailbox part itself is already gone. */
  hadMailbox: boolean;
}

/** Longest raw input accepted: an address is at most 64 + 1 + 253 characters. */
export const MAX_TARGET_CHARS = 320;
export const MAX_DOMAIN_CHARS = 253;
export const MAX_LABEL_CHARS = 63;
export const MAX_SYMPTOM_CHARS = 2000;

/**
 * Top-level names that never resolve on the public internet (RFC 2606, 6761, 6762, 7686, 8375, 9476,
 * ICANN's name-collision list) plus the special-use `.arpa` zone.
 */
const RESERVED_TLDS = new Set([
  'local',
  'localhost',
  'localdomain',
  'test',
  'invalid',
  'example',
  'internal',
  'intranet',
  'private',
  'lan',
  'home',
  'corp',
  'alt',
  'onion',
  'arpa',
]);
/** Second-level names reserved for documentation (RFC 2606 §3). */
const RESERVED_DOMAINS = new Set(['example.com', 'example.net', 'example.org']);

// Control characters (C0, DEL, C1) and Unicode line/paragraph separators: CRLF injection and log forging.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// Letters and digits of any script (IDN), hyphen, dot and the ideographic full stops WHATWG maps to '.'.
const DOMAIN_CHARS = /^[\p{L}\p{M}\p{N}\-.\u3002\uff0e\uff61]+$/u;
// Dot-atom local part (RFC 5322) including Unicode letters (RFC 6531); quoted local parts are not accepted.
const LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~.-]{1,64}$/u;
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Parses a domain or an e-mail address. Returns only the domain; throws SelfCheckInputError.
 * Accepts Unicode domains (converted to punycode), upper case and one trailing dot.
 */
export function parseTarget(raw: string): ParsedTarget {
  if (raw.length > MAX_TARGET_CHARS) throw new SelfCheckInputError('INPUT_TOO_LONG', 'target');
  if (CONTROL_CHARS.test(raw)) throw new SelfCheckInputError('INPUT_CONTROL_CHARS', 'target');
  const trimmed = raw.trim();
  if (trimmed === '') throw new SelfCheckInputError('INPUT_EMPTY', 'target');
  if (/\s/u.test(trimmed)) throw new SelfCheckInputError('INPUT_BAD_CHARS', 'target');

  let domainPart = trimmed;
  let hadMailbox = false;
  const at = trimmed.split('@');
  if (at.length > 2) throw new SelfCheckInputError('INPUT_BAD_ADDRESS', 'target');
  if (at.length === 2) {
    // The local part is validated only so that obvious garbage is refused; its value is dropped here.
    if (!LOCAL_PART.test(at[0]!) || at[1] === '') throw new SelfCheckInputError('INPUT_BAD_ADDRESS', 'target');
    domainPart = at[1]!;
    hadMailbox = true;
  }

  if (domainPart.startsWith('[') || isIP(domainPart) !== 0) throw new SelfCheckInputError('INPUT_IP_LITERAL', 'target');
  if (!DOMAIN_CHARS.test(domainPart)) throw new SelfCheckInputError('INPUT_BAD_CHARS', 'target');

  let name = domainPart.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name.startsWith('.') || name.includes('..')) throw new SelfCheckInputError('INPUT_BAD_DOMAIN', 'target');
  // Length limits first: the IDN conversion below does not enforce them.
  if (name.length > MAX_TARGET_CHARS) throw new SelfCheckInputError('INPUT_DOMAIN_TOO_LONG', 'target');

  const ascii = domainToASCII(name);
  if (ascii === '') throw new SelfCheckInputError('INPUT_BAD_DOMAIN', 'target');
  // WHATWG's host parser turns "127.1" or "0x7f.1" into "127.0.0.1": catch every IPv4 spelling.
  if (isIP(ascii) !== 0) throw new SelfCheckInputError('INPUT_IP_LITERAL', 'target');

  const labels = ascii.split('.');
  if (labels.some((l) => l.length > MAX_LABEL_CHARS)) throw new SelfCheckInputError('INPUT_LABEL_TOO_LONG', 'target');
  if (ascii.length > MAX_DOMAIN_CHARS) throw new SelfCheckInputError('INPUT_DOMAIN_TOO_LONG', 'target');
  if (labels.length < 2) {
    throw new SelfCheckInputError(RESERVED_TLDS.has(ascii) ? 'INPUT_RESERVED_DOMAIN' : 'INPUT_SINGLE_LABEL', 'target');
  }
  if (!labels.every((l) => ASCII_LABEL.test(l))) throw new SelfCheckInputError('INPUT_BAD_DOMAIN', 'target');
  const tld = labels[labels.length - 1]!;
  if (/^[0-9]+$/.test(tld)) throw new SelfCheckInputError('INPUT_IP_LITERAL', 'target');
  if (RESERVED_TLDS.has(tld) || RESERVED_DOMAINS.has(labels.slice(-2).join('.'))) {
    throw new SelfCheckInputError('INPUT_RESERVED_DOMAIN', 'target');
  }
  // Shown and put into links in Unicode, unless that form would not parse again (e.g. emoji labels).
  const unicode = domainToUnicode(ascii);
  return { domain: ascii, displayDomain: unicode && DOMAIN_CHARS.test(unicode) ? unicode : ascii, hadMailbox };
}

/** A code found in what the visitor pasted. The pasted text itself is never kept. */
export type Symptom =
  | {
      kind: 'ndr';
      /** Enhanced status code, e.g. `5.1.10`. */
      code: string;
      /** Basic SMTP reply code before it, e.g. `550`, when present. */
      smtp: string | null;
    }
  | {
      kind: 'aadsts';
      /** Number without the prefix, e.g. `50034`. */
      code: string;
    };

// Enhanced status codes (RFC 3463): class 2/4/5, subject and detail of up to three digits. The look-arounds
// keep IP addresses ("10.5.1.10.2") and version numbers from matching.
const ENHANCED = /(?<![\d.])(?:([245]\d\d)[ -])?([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
const AADSTS = /\bAADSTS(\d{4,7})\b/gi;
const BARE_AADSTS = /^\s*(\d{5,7})\s*$/;
const SYMPTOM_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Extracts the codes from a bounce text, a bare code or a sign-in error. Empty input → `[]`.
 * Sign-in codes come first (they are unambiguous), then delivery codes in order of appearance,
 * without duplicates. Throws SelfCheckInputError when the text is too long or holds no code.
 */
export function parseSymptom(raw: string | null | undefined): Symptom[] {
  if (raw == null) return [];
  if (raw.length > MAX_SYMPTOM_CHARS) throw new SelfCheckInputError('SYMPTOM_TOO_LONG', 'symptom');
  if (SYMPTOM_CONTROL.test(raw)) throw new SelfCheckInputError('SYMPTOM_BAD_CHARS', 'symptom');
  if (raw.trim() === '') return [];
  const out: Symptom[] = [];
  const seen = new Set<string>();
  const push = (s: Symptom) => {
    const key = `${s.kind}:${s.code}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  };
  for (const m of raw.matchAll(AADSTS)) push({ kind: 'aadsts', code: String(Number(m[1])) });
  const bare = BARE_AADSTS.exec(raw);
  if (bare) push({ kind: 'aadsts', code: String(Number(bare[1])) });
  for (const m of raw.matchAll(ENHANCED)) {
    const code = `${m[2]}.${Number(m[3])}.${Number(m[4])}`;
    push({ kind: 'ndr', code, smtp: m[1] ?? null });
  }
  if (out.length === 0) throw new SelfCheckInputError('SYMPTOM_NO_CODE', 'symptom');
  return out;
}
