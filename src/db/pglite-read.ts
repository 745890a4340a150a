// Named prepared statements for the hot read path on PGlite. `pglite.query` sends an unnamed Parse
// every time, so the wasm PostgreSQL parsed and planned the joined relation page on every request.
// Here a text is parsed and described once per PGlite session; each read is Bind + Execute + Sync.
// Everything else follows `pglite.query` (same mutexes, value serializers, row parsers and errors).
import { messages, parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';
import type { Prisma } from '../generated/prisma/client.js';
import { nameFor } from './read.js';

const { serialize } = protocol;

interface Prepared {
  name: string;
  /** Parameter type OIDs, which choose each value's serializer as `pglite.query` does. */
  paramTypes: number[];
  /** The statement's RowDescription, sent once by Describe: Execute alone sends only the rows. */
  description: messages.BackendMessage | undefined;
}

// What is prepared, per PGlite instance rather than per reader: two databases opened on one instance (tests)
// share its session. Names come from the text (read.ts), so preparing a text again reuses its one name.
const sessions = new WeakMap<PGlite, Map<string, Prepared>>();

type Options = { rowMode: 'array' } | undefined;

export interface PgliteReader {
  read<T>(statement: Prisma.Sql): Promise<T[]>;
  readRows(statement: Prisma.Sql): Promise<{ columns: string[]; rows: unknown[][] }>;
}

export function pgliteReader(pglite: PGlite): PgliteReader {
  const prepared = sessions.get(pglite) ?? new Map<string, Prepared>();
  sessions.set(pglite, prepared);

  // As pglite.query does: a DatabaseError carries the statement that failed.
  const described = (e: unknown, text: string, values: unknown[], options: Options) => {
    if (e instanceof messages.DatabaseError) Object.assign(e, { query: text, params: values, queryOptions: options });
    return e;
  };

  // Messages through PGlite's own protocol parser; it throws the first DatabaseError after the whole batch ran, Sync included.
  const send = (...parts: Uint8Array[]) => pglite.execProtocolStream(Buffer.concat(parts), { syncToFs: false });

  async function prepare(text: string, values: unknown[], options: Options): Promise<Prepared> {
    const name = nameFor(text);
    // Close first: closing a missing name is no error, and it makes preparing a name again safe.
    const replies = await send(serialize.close({ type: 'S', name }), serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()).catch(
      (e: unknown) => {
        throw described(e, text, values, options);
      },
    );
    const statement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(replies),
      description: replies.find((m) => m.name === 'rowDescription'),
    };
    prepared.set(text, statement);
    return statement;
  }

  async function run(sql: Prisma.Sql, options: Options): Promise<Results> {
    const { text } = sql;
    const values = sql.values as unknown[];
    await pglite._checkReady();
    // Both mutexes, as pglite.query takes them: a read waits for an open transaction (Prisma's interactive
    // ones hold the transaction mutex throughout) instead of running inside it.
    return pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        const statement = prepared.get(text) ?? (await prepare(text, values, options));
        const params = values.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = pglite.serializers[statement.paramTypes[i]];
          return serializer ? (serializer(value) as string) : String(value);
        });
        let replies: messages.BackendMessage[];
        try {
          replies = await send(serialize.bind({ statement: statement.name, values: params }), serialize.execute(), serialize.sync());
        } catch (e) {
          // Prepared afresh (same name) next time, in case the statement itself failed (a schema change under it).
          prepared.delete(text);
          throw described(e, text, values, options);
        }
        // As pglite.query does outside a transaction: a no-op on the Node file system, a flush on others.
        await pglite.syncToFs();
        const rows = statement.description ? [statement.description, ...replies] : replies;
        return parse.parseResults(rows, pglite.parsers, options)[0];
      }),
    );
  }

  return {
    read: async <T>(statement: Prisma.Sql) => (await run(statement, undefined)).rows as T[],
    readRows: async (statement: Prisma.Sql) => {
      const { fields, rows } = await run(statement, { rowMode: 'array' });
      return { columns: fields.map((f) => f.name), rows: rows as unknown[][] };
    },
  };
}
