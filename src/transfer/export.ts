// `relation-gateway export`: the whole model as NDJSON (format.ts), read in keyset pages inside one read-only
// snapshot, so the file is consistent while the gateway keeps serving, and memory holds one page at a time.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Database } from '../db/database.js';
import { endLine, headerLine, rowLine, SECTIONS, type Row, type Section } from './format.js';
import { silentProgress, type Progress } from './progress.js';

export interface TransferSummary {
  counts: Record<string, number>;
  /** Lines of the file, header and end record included. */
  lines: number;
  seconds: number;
}

/** A long-running snapshot is the point: Prisma's 5 s default would cut a large export. */
export const LONG_TRANSACTION = { maxWait: 10_000, timeout: 2_147_483_647 };

const quote = (name: string) => `"${name}"`;

function pageStatement(section: Section, pageSize: number, after: boolean): string {
  const columns = section.fields.map((field) => {
    const column = field.type === 'level' || field.type === 'entity' ? `${quote(field.column)}::text` : quote(field.column);
    return `${column} AS ${quote(field.name)}`;
  });
  const keyColumns = section.key.map((name) => quote(section.fields.find((field) => field.name === name)!.column));
  const placeholders = section.key.map((_, i) => `$${i + 1}`);
  const where = after ? ` WHERE (${keyColumns.join(', ')}) > (${placeholders.join(', ')})` : '';
  return `SELECT ${columns.join(', ')} FROM ${quote(section.table)}${where} ORDER BY ${keyColumns.join(', ')} LIMIT ${pageSize}`;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'error').then(([error]) => Promise.reject(error))]);
}

export async function exportModel(db: Database, out: Writable, progress: Progress = silentProgress, pageSize = 2_000): Promise<TransferSummary> {
  const started = performance.now();
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  let lines = 0;
  const emit = async (text: string, n: number) => {
    hash.update(text);
    lines += n;
    await write(out, text);
  };

  try {
    await db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('SET TRANSACTION READ ONLY');
        const totals = await tx.$queryRawUnsafe<Record<string, number>[]>(
          `SELECT ${SECTIONS.map((s) => `(SELECT count(*) FROM ${quote(s.table)})::int AS ${quote(s.kind)}`).join(', ')}`,
        );
        progress.start(
          Object.values(totals[0]).reduce((sum, n) => sum + Number(n), 0),
          'rows',
        );
        let done = 0;
        await emit(headerLine(), 1);
        for (const section of SECTIONS) {
          counts[section.kind] = 0;
          const first = pageStatement(section, pageSize, false);
          const next = pageStatement(section, pageSize, true);
          let last: unknown[] | undefined;
          for (;;) {
            const rows = last ? await tx.$queryRawUnsafe<Row[]>(next, ...last) : await tx.$queryRawUnsafe<Row[]>(first);
            if (!rows.length) break;
            let text = '';
            for (const row of rows) text += rowLine(section, row);
            await emit(text, rows.length);
            counts[section.kind] += rows.length;
            done += rows.length;
            progress.update(done);
            if (rows.length < pageSize) break;
            const end = rows[rows.length - 1];
            last = section.key.map((name) => end[name]);
          }
        }
      },
      { ...LONG_TRANSACTION, isolationLevel: 'RepeatableRead' },
    );
  } finally {
    progress.stop();
  }
  const endRecord = endLine({ lines, counts, sha256: hash.digest('hex') });
  await write(out, endRecord);
  return { counts, lines: lines + 1, seconds: (performance.now() - started) / 1000 };
}
