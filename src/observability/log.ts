// The one door every log line goes through (docs/access.md, "Logs"): one line per entry, control characters
// escaped, anything that looks like a credential redacted, long text cut, and expected errors without their text.
// pino is the sink: it writes each entry as one JSON line (or, with LOG_FORMAT=pretty, one readable line).
import { pino } from 'pino';
import type { Config } from '../config.js';
import { asDomainError } from '../services/failures.js';
import { type PrettyLine, prettyLine } from './pretty.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Fields of a structured entry; strings go through the same redaction and escaping as messages. */
export type LogFields = Record<string, string | number | undefined>;

export interface Logger {
  trace(message: string, error?: unknown): void;
  debug(message: string, error?: unknown): void;
  info(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
  /** One entry with fields (a request line); never an error's stack, so a client's input cannot ride along. */
  entry(level: LogLevel, message: string, fields: LogFields): void;
  /** Whether entries at this level are written: lets a caller skip building one. */
  enabled(level: LogLevel): boolean;
}

const MAX_LINE = 2000;

// C0, DEL, C1, line and paragraph separators, bidi controls, and the backslash that starts an escape.
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;
const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeChar = (char: string) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

const API_TOKEN = /rg_[A-Za-z0-9_-]{8,}/g;
const SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const HEADER = /\b(Api-Key|Authorization)(\s*[:=]\s*)[^\s'",;]+/gi;
// A Basic credential pasted without its scheme: base64 of "user:rg_…".
const BASE64 = /[A-Za-z0-9+/]{16,}={0,2}/g;

function hidesToken(base64: string): boolean {
  return /rg_/.test(Buffer.from(base64, 'base64').toString('latin1'));
}

/** Text made safe for a log line: credentials redacted, control characters escaped, at most MAX_LINE characters. */
export function logSafe(text: string): string {
  const redacted = text
    .replace(SCHEME, '$1$2[redacted]')
    .replace(HEADER, '$1$2[redacted]')
    .replace(API_TOKEN, 'rg_[redacted]')
    .replace(BASE64, (run) => (hidesToken(run) ? '[redacted]' : run));
  const escaped = redacted.replace(UNSAFE, escapeChar);
  return escaped.length <= MAX_LINE ? escaped : `${escaped.slice(0, MAX_LINE)}… (${escaped.length - MAX_LINE} more characters)`;
}

/** An error as one line: a client's error by its class and code only (its message may quote the input), a bug with its stack. */
export function describeError(error: unknown): string {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  const known = asDomainError(original);
  if (known) return `${known.name} ${known.code}`;
  // A GraphQLError of its own is the schema refusing the request; one wrapping another error hides a bug.
  if (original === error && (error as Error)?.name === 'GraphQLError') return 'GraphQLError (a request the schema refused)';
  return (original as Error)?.stack ?? String(original);
}

/** Whether the error is the client's (expected), not a bug of ours. */
export function isExpected(error: unknown): boolean {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  return asDomainError(original) !== null || (original === error && (error as Error)?.name === 'GraphQLError');
}

export interface LoggerOptions {
  level: Config['logLevel'];
  /** json (one object a line) or pretty (for people); default: pretty on a terminal, json otherwise. */
  format?: Config['logFormat'];
  /** Where lines go (each with its newline); default: stdout, warnings and errors on stderr. */
  write?: (line: string) => void;
}

// Synchronous writes: a line is out before the process can exit, and in the order the entries were made.
const standardOut = () =>
  pino.multistream(
    [
      { level: 'trace', stream: pino.destination({ dest: 1, sync: true }) },
      { level: 'warn', stream: pino.destination({ dest: 2, sync: true }) },
    ],
    { dedupe: true },
  );

const prettyOut = ({ level, line }: PrettyLine) => void (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(line);

function safeFields(fields: LogFields): LogFields {
  const safe: LogFields = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) safe[key] = typeof value === 'string' ? logSafe(value) : value;
  }
  return safe;
}

export function createLogger({ level, format, write }: LoggerOptions): Logger {
  const pretty = (format ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';
  const destination = write
    ? { write: (json: string) => write(pretty ? prettyLine(json).line : json) }
    : pretty
      ? { write: (json: string) => prettyOut(prettyLine(json)) }
      : standardOut();
  const base = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const at =
    (name: LogLevel) =>
    (message: string, error?: unknown): void => {
      if (base.isLevelEnabled(name)) base[name](logSafe(error === undefined ? message : `${message}: ${describeError(error)}`));
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    entry: (name, message, fields) => {
      if (base.isLevelEnabled(name)) base[name](safeFields(fields), logSafe(message));
    },
    enabled: (name) => base.isLevelEnabled(name),
  };
}

// One logger per app (each app has its own Config object), so every face shares it without passing it around.
const loggers = new WeakMap<Config, Logger>();

/**
 * Makes `logger` the app's logger (tests capture the lines this way).
 * @internal
 */
export function installLogger(config: Config, logger: Logger): void {
  loggers.set(config, logger);
}

export function loggerFor(config: Config): Logger {
  let logger = loggers.get(config);
  if (!logger) loggers.set(config, (logger = createLogger({ level: config.logLevel, format: config.logFormat })));
  return logger;
}
