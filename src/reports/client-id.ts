/**
 * Client identity for rate limiting and duplicate suppression without storing addresses:
 * `clientId = HMAC-SHA256(salt, normalised address)`, where the salt is derived from a secret and
 * the index of the current rotation period, so every app node computes the same salt without
 * coordination and the salt changes every `saltRotationHours`.
 *
 * IPv6 clients are grouped by their /64 prefix (one subscriber usually owns a whole /64, and
 * rotating through it must not reset the limits). IPv4-mapped IPv6 addresses count as IPv4.
 */
import { createHash, createHmac, hash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

const HOUR = 3_600_000;

/** File holding the generated secret when OUTAGE_RADAR_REPORT_SECRET is not set (mode 0600). */
export const SECRET_FILE_NAME = '.report-secret';

/** Expands an IPv6 address (with `::`, embedded IPv4 or a zone id) into its 8 hextets. */
function expandIPv6(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[1]!.split('.').map(Number);
    const hi = ((parts[0]! << 8) | parts[1]!).toString(16);
    const lo = ((parts[2]! << 8) | parts[3]!).toString(16);
    text = `${text.slice(0, -v4[1]!.length)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const values = groups.map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  return values.length === 8 && values.every((v) => Number.isFinite(v)) ? values : null;
}

/**
 * The part of an address that identifies a client: the IPv4 address, or `v6:` + the /64 prefix.
 * Null when `address` is not an IP address.
 */
export function normalizeClientAddress(address: string): string | null {
  const trimmed = address.trim();
  const family = isIP(trimmed.split('%')[0]!);
  if (family === 4) return trimmed;
  if (family !== 6) return null;
  const groups = expandIPv6(trimmed);
  if (!groups) return null;
  const isMappedV4 = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMappedV4) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `v6:${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}`;
}

/**
 * The client address of a request: the socket's peer, or, only when the operator trusts a reverse
 * proxy (OUTAGE_RADAR_TRUST_PROXY=1), the right-most valid X-Forwarded-For entry — the one the
 * proxy itself appended; entries to its left are whatever the client claimed.
 */
export function pickClientAddress(input: {
  socketAddress: string | null | undefined;
  forwardedFor: string | null | undefined;
  trustProxy: boolean;
}): string | null {
  if (input.trustProxy && input.forwardedFor) {
    const hops = input.forwardedFor.split(',').map((h) => h.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1');
      if (isIP(hop.split('%')[0]!)) return hop;
    }
  }
  return input.socketAddress ?? null;
}

/** Index of the salt rotation period that contains `now`. */
export function saltPeriod(now: Date, rotationHours: number): number {
  return Math.floor(now.getTime() / (rotationHours * HOUR));
}

/** The salt of one rotation period: HMAC-SHA256(secret, label + period index). */
export function deriveSalt(secret: string, period: number): Buffer {
  return createHmac('sha256', secret).update(`outage-radar/report-salt/v1/${period}`).digest();
}

/**
 * HMAC-SHA256 with a fixed key (RFC 2104): H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), computed with two
 * one-shot `crypto.hash` calls over buffers that already hold the padded key blocks — no hash or
 * key object per message (the report path hashes one address per request).
 */
class FixedKeyHmac {
  #inner: Buffer;
  readonly #outer: Buffer;
  constructor(key: Buffer) {
    const block = Buffer.alloc(64);
    (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
    this.#inner = Buffer.alloc(64 + 128);
    this.#outer = Buffer.alloc(64 + 32);
    for (let i = 0; i < 64; i++) {
      this.#inner[i] = block[i]! ^ 0x36;
      this.#outer[i] = block[i]! ^ 0x5c;
    }
  }
  hex(message: string): string {
    const length = Buffer.byteLength(message);
    if (64 + length > this.#inner.length) {
      const grown = Buffer.alloc(64 + length);
      this.#inner.copy(grown, 0, 0, 64);
      this.#inner = grown;
    }
    this.#inner.write(message, 64);
    hash('sha256', this.#inner.subarray(0, 64 + length), 'buffer').copy(this.#outer, 64);
    return hash('sha256', this.#outer, 'hex');
  }
}

/** Hashes client addresses with the salt of the current period (cached per period). */
export class ClientHasher {
  readonly #secret: string;
  readonly #rotationHours: number;
  #period = Number.NaN;
  #hmac: FixedKeyHmac | null = null;

  constructor(secret: string, rotationHours: number) {
    if (secret.length < 16) throw new Error('report secret must have at least 16 characters');
    this.#secret = secret;
    this.#rotationHours = rotationHours;
  }

  /** 32 hex chars (128 bits) of HMAC-SHA256(salt, normalised address); null for a non-address. */
  hash(address: string, now: Date): string | null {
    const client = normalizeClientAddress(address);
    if (client === null) return null;
    const period = saltPeriod(now, this.#rotationHours);
    if (period !== this.#period || !this.#hmac) {
      this.#hmac = new FixedKeyHmac(deriveSalt(this.#secret, period));
      this.#period = period;
    }
    return this.#hmac.hex(client).slice(0, 32);
  }
}

/**
 * The secret behind the salts: OUTAGE_RADAR_REPORT_SECRET, else one the store shares between app
 * nodes (PostgreSQL), else a random one kept in `<dataDir>/.report-secret` (created with mode 0600;
 * a concurrent creator's file wins).
 */
export async function resolveReportSecret(input: {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  sharedSecret?: () => Promise<string>;
}): Promise<string> {
  const fromEnv = input.env.OUTAGE_RADAR_REPORT_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('OUTAGE_RADAR_REPORT_SECRET must have at least 16 characters');
    return fromEnv;
  }
  if (input.sharedSecret) return input.sharedSecret();
  const file = path.join(input.dataDir, SECRET_FILE_NAME);
  await fs.mkdir(input.dataDir, { recursive: true });
  try {
    const handle = await fs.open(file, 'wx', 0o600);
    try {
      await handle.writeFile(randomBytes(32).toString('hex'));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (let attempt = 0; ; attempt++) {
    const secret = (await fs.readFile(file, 'utf8')).trim();
    if (secret.length >= 16) return secret;
    // Another process created the file a moment ago and has not written it yet.
    if (attempt >= 20) throw new Error(`${file}: report secret is empty or too short`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
