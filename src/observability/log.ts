// The one door every log line goes through (docs/access.md, "Logs"): one line per entry, control characters
// escaped, anything that looks like a credential redacted, long text cut, and expected errors without their text.
import type { Config } from '../config.js';
import { asDomainError } from '../services/failures.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, error?: unknown): void;
  info(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

const RANK: Record<Config['logLevel'], number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };
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
  if ((error as Error)?.name === 'GraphQLError') return 'GraphQLError (a request the schema refused)';
  return (error as Error)?.stack ?? String(error);
}

/** Whether the error is the client's (expected), not a bug of ours. */
export function isExpected(error: unknown): boolean {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  return asDomainError(original) !== null || (original === error && (error as Error)?.name === 'GraphQLError');
}

const standardOut = (level: LogLevel, line: string) => (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);

export function createLogger(threshold: Config['logLevel'], write: (level: LogLevel, line: string) => void = standardOut): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, error?: unknown): void => {
      if (RANK[level] < RANK[threshold]) return;
      write(level, logSafe(error === undefined ? message : `${message}: ${describeError(error)}`));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// One logger per app (each app has its own Config object), so every face shares it without passing it around.
const loggers = new WeakMap<Config, Logger>();

export function loggerFor(config: Config): Logger {
  let logger = loggers.get(config);
  if (!logger) loggers.set(config, (logger = createLogger(config.logLevel)));
  return logger;
}
