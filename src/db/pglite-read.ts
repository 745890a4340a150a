// Named prepared statements for the hot path on PGlite (Database.read and Database.write). `pglite.query`
// sends an unnamed Parse every time, so the wasm PostgreSQL parsed and planned the joined relation page on
// every request.
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
  readRows(statement: Prisma.Sql): Promise<{ columns: readonly string[]; rows: unknown[][] }>;
  /** A statement that writes (Database.write): its rows, and the rows it affected. */
  write<T>(statement: Prisma.Sql): Promise<{ rows: T[]; count: number }>;
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

  // Bind + Execute + Sync with the replies read here from the raw bytes. PGlite's own parser copies every field
  // into an ArrayBuffer of its own behind private-field accessors: a third of a 26-row list's CPU on PGlite
  // (docs/performance.md, "PGlite's reply parsing").
  async function execute(...parts: Uint8Array[]): Promise<messages.BackendMessage[]> {
    const chunks: Uint8Array[] = [];
    // The chunks are views of PGlite's output buffer, which the next call reuses: copied.
    await pglite.execProtocolRawStream(Buffer.concat(parts), { syncToFs: false, onRawData: (chunk) => chunks.push(chunk.slice()) });
    return readReplies(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

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
          replies = await execute(serialize.bind({ statement: statement.name, values: params }), serialize.execute(), serialize.sync());
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
    write: async <T>(statement: Prisma.Sql) => {
      const { rows, affectedRows } = await run(statement, undefined);
      return { rows: rows as T[], count: affectedRows ?? 0 };
    },
  };
}

const DATA_ROW = 0x44; // 'D'
const COMMAND_COMPLETE = 0x43; // 'C'
/** BindComplete '2', NoData 'n', PortalSuspended 's', ReadyForQuery 'Z': nothing a result is made of. */
const PASSED = new Set([0x32, 0x6e, 0x73, 0x5a]);

/**
 * The messages of a read's reply in the shape PGlite's parser gives them, as far as `parse.parseResults` reads
 * them: data rows (fields as text, or null) and the command tag. Anything else (an ErrorResponse, a notice)
 * goes through PGlite's own parser, whose first DatabaseError is thrown as `execProtocolStream` throws it.
 * No NotificationResponse reaches a read: PGlite's one session gets its own notifications in the reply of the
 * statement that committed them (writes and pg_notify, through `pglite.query`, which hands them to listeners).
 */
function readReplies(raw: Uint8Array): messages.BackendMessage[] {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const replies: messages.BackendMessage[] = [];
  for (let at = 0; at < buf.length; ) {
    const type = buf[at];
    const length = buf.readInt32BE(at + 1);
    const end = at + 1 + length;
    if (type === DATA_ROW) {
      const count = buf.readInt16BE(at + 5);
      const fields: (string | null)[] = new Array(count);
      let p = at + 7;
      for (let i = 0; i < count; i++) {
        const size = buf.readInt32BE(p);
        p += 4;
        if (size < 0) fields[i] = null;
        else {
          fields[i] = buf.toString('utf8', p, p + size);
          p += size;
        }
      }
      replies.push({ name: 'dataRow', length, fields, fieldCount: count } as messages.DataRowMessage);
    } else if (type === COMMAND_COMPLETE) {
      replies.push({ name: 'commandComplete', length, text: buf.toString('utf8', at + 5, end - 1) } as messages.CommandCompleteMessage);
    } else if (!PASSED.has(type)) {
      return parsedByPglite(raw);
    }
    at = end;
  }
  return replies;
}

function parsedByPglite(raw: Uint8Array): messages.BackendMessage[] {
  const replies: messages.BackendMessage[] = [];
  new protocol.Parser().parse(raw, (message) => replies.push(message));
  const error = replies.find((message) => message instanceof messages.DatabaseError);
  if (error) throw error;
  return replies;
}
