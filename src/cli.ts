// The `relation-gateway` command. Commands import what they need when they run, so `--help` answers at once.
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Database } from './db/database.js';
import { DomainError } from './domain/errors.js';
import { validateEmail } from './domain/names.js';
import { logSafe } from './observability/log.js';

const USAGE = `Usage: relation-gateway <command> [options]

Commands:
  serve                                        apply migrations, create the admin on first start, serve HTTP
  migrate                                      apply pending database migrations and exit
  seed --demo                                  load the demo data set (once; a second run changes nothing)
  user create --email E --name N [--admin]     create a user; prints {"accountId": ..., "token": ...}
  token create --email E                       issue a new API token for a user; prints {"token": ...}
  export > model.ndjson                        write the whole model to stdout as NDJSON (docs/export-import.md)
  import [--merge] < model.ndjson              read an export into an empty database (--merge: into one with data)
  help, --help                                 show this text

The database comes from the environment: DATABASE_URL=postgres://... for PostgreSQL, otherwise the
embedded PGlite database in DATA_DIR (default ./data). See README.md for every setting.
`;

class UsageError extends Error {}

type Options = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): Options {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

function required(values: Options, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const { openDatabase } = await import('./db/database.js');
  // Behind pgbouncer's transaction mode too (migrations on the direct DATABASE_LISTEN_URL); reads stay on the primary.
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    listenUrl: config.databaseListenUrl,
    preparedStatements: config.preparedStatements,
    notifyWrites: config.eventNotify,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const print = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');

async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig(process.env);

  switch (command) {
    case 'serve': {
      parse(argv.slice(1), {});
      // A serving process makes a few hundred KB of short-lived objects per request; V8's default lets the old
      // generation grow to ~3× what survives before a full collection (RSS ~300 MB under load). Growing by 1.5×
      // holds it near 200 MB for the same CPU per request (docs/performance.md, "Memory under load").
      setFlagsFromString('--heap-growing-percent=50');
      const { startServer } = await import('./server.js');
      await startServer(config, { handleSignals: true });
      return -1; // keeps running until a signal stops it
    }
    case 'first-start': {
      // Internal: the child process `serve` starts to build the embedded database (first-start.ts).
      if (!process.send || config.databaseUrl) throw new UsageError("unknown command 'first-start'");
      // A stop signal to the whole service (systemd's control group) is the parent's to handle: it waits for this work.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {});
      const { runFirstStartChild } = await import('./first-start.js');
      await runFirstStartChild(config);
      return 0;
    }
    case 'migrate': {
      parse(argv.slice(1), {});
      await withDatabase(config, async (db) => {
        const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
          SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
        process.stdout.write(`Database is up to date (${rows.length} migrations: ${rows.map((r) => r.migration_name).join(', ')})\n`);
      });
      return 0;
    }
    case 'seed': {
      const values = parse(argv.slice(1), { demo: { type: 'boolean' } });
      if (!values.demo) throw new UsageError('seed needs --demo (the only data set there is)');
      const { adminBanner, createFirstAdmin, withStartupLock } = await import('./bootstrap.js');
      const { seedDemo } = await import('./seed/demo.js');
      await withDatabase(config, (db) =>
        withStartupLock(config, async () => {
          // Without an admin, a later first start would see users and never print a token.
          const admin = await createFirstAdmin(config, db);
          if (admin) process.stdout.write(adminBanner(admin) + '\n');
          const result = await seedDemo(db, config);
          process.stdout.write(
            result.skipped
              ? 'Demo data is already loaded; nothing changed.\n'
              : `Loaded demo data: ${result.users} users, ${result.spaces} spaces, ${result.content} pages and posts, ${result.relations} relations.\n`,
          );
        }),
      );
      return 0;
    }
    case 'user': {
      if (sub !== 'create') throw new UsageError(sub ? `unknown command 'user ${sub}'` : "'user' needs a subcommand: user create");
      const values = parse(rest, { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } });
      const email = required(values, 'email');
      const name = required(values, 'name');
      const { insertUser } = await import('./services/users.js');
      const { issueToken } = await import('./services/tokens.js');
      await withDatabase(config, async (db) => {
        const user = await insertUser(db.prisma, { email, displayName: name, admin: values.admin === true });
        const { token } = await issueToken(db.prisma, user.id, 'cli');
        print({ accountId: user.accountId, token });
      });
      return 0;
    }
    case 'token': {
      if (sub !== 'create') throw new UsageError(sub ? `unknown command 'token ${sub}'` : "'token' needs a subcommand: token create");
      const values = parse(rest, { email: { type: 'string' } });
      const email = validateEmail(required(values, 'email'));
      const { issueToken } = await import('./services/tokens.js');
      await withDatabase(config, async (db) => {
        const user = await db.prisma.user.findUnique({ where: { email } });
        if (!user) throw new CliError(`No user with e-mail '${email}'`);
        const { token } = await issueToken(db.prisma, user.id, 'cli');
        print({ token });
      });
      return 0;
    }
    case 'export': {
      parse(argv.slice(1), {});
      const { runExport } = await import('./transfer/command.js');
      await withDatabase(config, (db) => runExport(db));
      return 0;
    }
    case 'import': {
      const values = parse(argv.slice(1), { merge: { type: 'boolean' } });
      const { runImport } = await import('./transfer/command.js');
      const { withStartupLock } = await import('./bootstrap.js');
      // Under the first-start lock, so a server starting meanwhile does not create its admin while the import runs.
      await withDatabase(config, (db) => withStartupLock(config, () => runImport(db, { merge: values.merge === true })));
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

class CliError extends Error {}

async function main(): Promise<void> {
  try {
    const code = await run(process.argv.slice(2));
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`relation-gateway: ${logSafe(error.message)}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError || error instanceof DomainError || error instanceof CliError) {
      process.stderr.write(`relation-gateway: ${logSafe(error.message)}\n`);
      process.exitCode = 1;
    } else {
      const message = (error as Error)?.message ?? String(error);
      // Expected failures (a held data folder, an unreachable database) read best as one line.
      process.stderr.write(`relation-gateway: ${logSafe(message)}\n`);
      if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${logSafe(String((error as Error)?.stack))}\n`);
      process.exitCode = 1;
    }
  }
}

await main();
