import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Load demo data on the first start of an empty embedded database. */
  demo: boolean;
  /** Requests per second per API token; undefined = no limit. */
  rateLimit?: number;
  graphiql: boolean;
  introspection: boolean;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** E-mail of the site admin created on the first start of an empty database. */
  adminEmail: string;
  /** Cross-origin access (CORS_ORIGINS); enforced by src/http/cors.ts. */
  cors: CorsConfig;
}

/** Listed origins may read answers with credentials; `anyOrigin` lets every other origin read them without. */
export interface CorsConfig {
  origins: string[];
  anyOrigin: boolean;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

// Browsers send an origin serialized (lowercase, no default port, no path), so only that form can ever match.
function exactOrigin(entry: string): true | string {
  if (entry.includes('*')) return 'patterns are not supported: list each origin';
  if (!URL.canParse(entry)) return 'it is not a URL';
  const { origin } = new URL(entry);
  if (origin === 'null') return /^[a-z][a-z\d+.-]*:\/\/[a-z\d.-]+(:\d+)?$/.test(entry) || 'it is not scheme://host[:port]';
  return origin === entry || `did you mean "${origin}"?`;
}

function corsOrigins(env: NodeJS.ProcessEnv): CorsConfig {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return { origins: [], anyOrigin: true };
  if (raw === 'none') return { origins: [], anyOrigin: false };
  const entries = raw.split(',').map((entry) => entry.trim());
  const origins = entries.filter((entry) => entry !== '*');
  for (const entry of origins) {
    const verdict = exactOrigin(entry);
    if (verdict !== true) {
      throw new ConfigError(
        `CORS_ORIGINS entry "${entry}" is not an exact origin such as https://app.example or http://localhost:5173 (${verdict}); ` +
          'list origins separated by commas, add * for any other origin without credentials, or set none alone',
      );
    }
  }
  return { origins: [...new Set(origins)], anyOrigin: entries.includes('*') };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 4000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase() as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const rate = integer(env, 'RATE_LIMIT', 0, 0, 1_000_000);
  const publicUrl = (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  return {
    port,
    host,
    databaseUrl,
    dataDir: resolve(env.DATA_DIR || './data'),
    publicUrl,
    logLevel,
    demo: flag(env, 'DEMO', true),
    rateLimit: rate > 0 ? rate : undefined,
    graphiql: flag(env, 'GRAPHIQL', true),
    introspection: flag(env, 'INTROSPECTION', true),
    bodyLimit: integer(env, 'BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    adminEmail: env.ADMIN_EMAIL || 'admin@example.com',
    cors: corsOrigins(env),
  };
}
