/**
 * The project's one logger. Writes to stderr (stdout stays free for command output): one JSON
 * object per line when stderr is not a terminal (cron, CI, `npm start` under a supervisor), a
 * readable line on a terminal. `OUTAGE_RADAR_LOG_LEVEL` (debug | info | warn | error | silent) sets
 * the threshold, `OUTAGE_RADAR_LOG_FORMAT` (json | pretty) forces a format.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines carry `fields` in addition to their own. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Component name, first field of every line. */
  name: string;
  level?: LogLevel;
  format?: 'json' | 'pretty';
  /** Where lines go; default process.stderr. */
  write?: (line: string) => void;
  /** Wall clock for the `time` field; the cycle's virtual clock is a field of its own (`now`). */
  clock?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

function isLogLevel(v: string | undefined): v is LogLevel {
  return v !== undefined && (LOG_LEVELS as readonly string[]).includes(v);
}

/** Errors become `{ code, message }` so they survive JSON.stringify. */
function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { ...(typeof code === 'string' ? { code } : {}), name: value.name, message: value.message };
  }
  return value;
}

function formatPretty(time: Date, level: LogLevel, name: string, msg: string, fields: LogFields): string {
  const extras = Object.entries(fields)
    .map(([k, v]) => {
      const s = serialize(v);
      return `${k}=${typeof s === 'string' ? (/\s/.test(s) ? JSON.stringify(s) : s) : JSON.stringify(s)}`;
    })
    .join(' ');
  const hhmmss = time.toISOString().slice(11, 19);
  return `${hhmmss} ${level.toUpperCase().padEnd(5)} [${name}] ${msg}${extras ? ` ${extras}` : ''}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const envLevel = process.env.OUTAGE_RADAR_LOG_LEVEL;
  const level: LogLevel = options.level ?? (isLogLevel(envLevel) ? envLevel : 'info');
  const envFormat = process.env.OUTAGE_RADAR_LOG_FORMAT;
  const format =
    options.format ?? (envFormat === 'json' || envFormat === 'pretty' ? envFormat : process.stderr.isTTY ? 'pretty' : 'json');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? (() => new Date());

  const make = (bound: LogFields): Logger => {
    const emit = (lvl: LogLevel, msg: string, fields: LogFields = {}) => {
      if (RANK[lvl] < RANK[level]) return;
      const all = { ...bound, ...fields };
      const time = clock();
      if (format === 'pretty') {
        write(formatPretty(time, lvl, options.name, msg, all));
        return;
      }
      const record: LogFields = { time: time.toISOString(), level: lvl, name: options.name, msg };
      for (const [k, v] of Object.entries(all)) record[k] = serialize(v);
      write(JSON.stringify(record));
    };
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

/** A logger that drops everything (tests, library callers that bring no logger). */
export const silentLogger: Logger = createLogger({ name: 'silent', level: 'silent', write: () => {} });
