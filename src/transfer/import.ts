// `relation-gateway import`: reads an export (format.ts) line by line and writes it in batches inside ONE
// transaction, so a file that turns out truncated or corrupt at any line leaves the database as it was.
// Ids are kept, so links, cursors and relation ends stay valid; the serial sequences are moved past them.
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { LONG_TRANSACTION, type TransferSummary } from './export.js';
import { compareKeys, endProblem, headerProblem, recordOf, rowProblem, SECTION_BY_KIND, SECTIONS, type EndRecord, type Row, type Section } from './format.js';
import { LineTooLong, lines } from './lines.js';
import { silentProgress, type Progress } from './progress.js';
import { advanceSequenceStatement, insertStatement, MERGE_IDENTITY, mergeClashStatement, occupiedStatement } from './statements.js';

/** The file is refused; the transaction is rolled back, so nothing of it was written. */
export class ImportRefused extends Error {
  constructor(
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${line === undefined ? '' : `line ${line}: `}${reason}; nothing was imported`);
  }
}

export interface ImportOptions {
  /** Combine with what the database holds (docs/export-import.md) instead of requiring an empty database. */
  merge?: boolean;
  progress?: Progress;
  /** Bytes of input, when known (a file): the progress bar then shows bytes read of it; otherwise a count of lines. */
  size?: number;
  batchSize?: number;
}

export interface ImportSummary extends TransferSummary {
  /** Rows written per kind: with --merge, rows the database already had are not counted. */
  inserted: Record<string, number>;
}

type Tx = Prisma.TransactionClient;

// The longest line the exporter can write is far below this (one row); a longer one is a damaged file, not a buffer.
const MAX_LINE = 16 * 1024 * 1024;

const keyText = (section: Section, row: Row) => section.key.map((name) => `${name} ${String(row[name])}`).join(', ');

/** PostgreSQL's own words for a refused row (a duplicate e-mail, a relation whose end is missing…). */
function databaseReason(error: unknown): string {
  const e = error as { meta?: { message?: unknown; driverAdapterError?: { cause?: { originalMessage?: unknown } } }; message?: string };
  const original = e.meta?.driverAdapterError?.cause?.originalMessage ?? e.meta?.message;
  const text = typeof original === 'string' ? original : String(e.message ?? error);
  return `the database refused the row: ${text.split('\n').filter(Boolean).pop()}`;
}

interface Pending {
  row: Row;
  line: number;
}

class Writer {
  readonly inserted: Record<string, number> = Object.fromEntries(SECTIONS.map((s) => [s.kind, 0]));

  constructor(
    private readonly tx: Tx,
    private readonly merge: boolean,
  ) {}

  async flush(section: Section, batch: Pending[]): Promise<void> {
    if (!batch.length) return;
    const json = (items: Pending[]) => JSON.stringify(items.map(({ row, line }) => ({ ...row, line })));
    const clash = this.merge ? mergeClashStatement(section) : undefined;
    if (clash) {
      const [found] = await this.tx.$queryRawUnsafe<{ line: number }[]>(clash, json(batch));
      if (found) {
        const { row } = batch.find((item) => item.line === found.line)!;
        throw new ImportRefused(
          found.line,
          `${section.kind} ${keyText(section, row)} is another ${section.kind} in the database (its ${MERGE_IDENTITY[section.kind].join(', ')} differ): ` +
            '--merge combines exports of the same database, where equal ids mean the same entity',
        );
      }
    }
    const insert = insertStatement(section, this.merge);
    await this.tx.$executeRawUnsafe('SAVEPOINT import_batch');
    try {
      this.inserted[section.kind] += await this.tx.$executeRawUnsafe(insert, json(batch));
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT import_batch');
    } catch (error) {
      await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT import_batch');
      // Row by row to name the line PostgreSQL refused; only on this failure path.
      for (const item of batch) {
        await this.tx.$executeRawUnsafe('SAVEPOINT import_row');
        try {
          await this.tx.$executeRawUnsafe(insert, json([item]));
          await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT import_row');
        } catch (rowError) {
          throw new ImportRefused(item.line, databaseReason(rowError));
        }
      }
      throw new ImportRefused(batch[0].line, databaseReason(error));
    }
  }
}

function parseLine(bytes: Buffer, number: number): { kind: string; value: unknown } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportRefused(number, 'not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportRefused(number, `not JSON (${(error as Error).message})`);
  }
  const record = recordOf(parsed);
  if (typeof record === 'string') throw new ImportRefused(number, record);
  return record;
}

function checkEnd(end: EndRecord, number: number, counts: Record<string, number>, sha256: string): void {
  if (end.lines !== number - 1) throw new ImportRefused(number, `the end record counts ${end.lines} lines before it, the file has ${number - 1}`);
  for (const section of SECTIONS) {
    if (end.counts[section.kind] !== counts[section.kind]) {
      throw new ImportRefused(number, `the end record counts ${String(end.counts[section.kind])} ${section.kind} rows, the file has ${counts[section.kind]}`);
    }
  }
  if (end.sha256 !== sha256)
    throw new ImportRefused(number, 'the checksum of lines 1 to ' + (number - 1) + ' does not match the end record: the file was changed after export');
}

export async function importModel(db: Database, input: AsyncIterable<Uint8Array | string>, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const merge = options.merge ?? false;
  const progress = options.progress ?? silentProgress;
  const batchSize = options.batchSize ?? 2_000;
  const counts: Record<string, number> = Object.fromEntries(SECTIONS.map((s) => [s.kind, 0]));

  progress.start(options.size, options.size === undefined ? 'lines' : 'bytes');
  try {
    return await db.prisma.$transaction(async (tx) => {
      if (!merge) {
        const [occupied] = await tx.$queryRawUnsafe<Record<string, boolean>[]>(occupiedStatement(SECTIONS));
        const held = SECTIONS.filter((s) => occupied[s.kind]).map((s) => s.table);
        if (held.length) {
          throw new ImportRefused(
            undefined,
            `the database is not empty (it holds ${held.join(', ')}): import into an empty database, or add --merge to combine (docs/export-import.md)`,
          );
        }
      } else {
        await tx.$executeRawUnsafe('CREATE TEMP TABLE imported_content (id int PRIMARY KEY) ON COMMIT DROP');
      }
      const writer = new Writer(tx, merge);
      const hash = createHash('sha256');
      let current = -1;
      let section: Section | undefined;
      let lastKey: number[] | undefined;
      let batch: Pending[] = [];
      let ended = false;
      let lastLine = 0;
      let bytesRead = 0;

      try {
        for await (const line of lines(input, MAX_LINE)) {
          lastLine = line.number;
          bytesRead += line.bytes.length + (line.terminated ? 1 : 0);
          if (!line.terminated) throw new ImportRefused(line.number, 'the file ends in the middle of a line: it is truncated');
          if (ended) throw new ImportRefused(line.number, 'there is more after the end record');
          const { kind, value } = parseLine(line.bytes, line.number);
          if (line.number === 1) {
            const problem = kind === 'header' ? headerProblem(value) : headerProblem(undefined);
            if (problem) throw new ImportRefused(1, problem);
          } else if (kind === 'end') {
            const problem = endProblem(value);
            if (problem) throw new ImportRefused(line.number, problem);
            if (section) await writer.flush(section, batch);
            batch = [];
            checkEnd(value as EndRecord, line.number, counts, hash.digest('hex'));
            ended = true;
            continue;
          } else {
            const entry = SECTION_BY_KIND.get(kind);
            if (!entry) throw new ImportRefused(line.number, `unknown record kind '${kind}'`);
            if (entry.index < current) {
              throw new ImportRefused(
                line.number,
                `a ${kind} record after the ${section!.kind} records: records come in the order ${SECTIONS.map((s) => s.kind).join(', ')}`,
              );
            }
            if (entry.index > current) {
              if (section) await writer.flush(section, batch);
              batch = [];
              current = entry.index;
              section = entry.section;
              lastKey = undefined;
            }
            const problem = rowProblem(entry.section, value);
            if (problem) throw new ImportRefused(line.number, problem);
            const row = value as Row;
            const key = entry.section.key.map((name) => row[name] as number);
            if (lastKey && compareKeys(key, lastKey) <= 0) {
              throw new ImportRefused(line.number, `${kind} ${keyText(entry.section, row)} is out of order: rows come in key order, each once`);
            }
            lastKey = key;
            counts[kind]++;
            batch.push({ row, line: line.number });
            if (batch.length >= batchSize) {
              await writer.flush(entry.section, batch);
              batch = [];
              progress.update(options.size === undefined ? line.number : bytesRead);
            }
          }
          hash.update(line.bytes).update('\n');
        }
      } catch (error) {
        if (error instanceof LineTooLong) throw new ImportRefused(error.lineNumber, error.message.replace(/^line \d+ is/, 'the line is'));
        throw error;
      }
      if (lastLine === 0) throw new ImportRefused(undefined, 'the input is empty');
      if (!ended) throw new ImportRefused(lastLine + 1, 'the file ends without its end record: it is truncated');

      for (const table of ['users', 'api_tokens', 'spaces', 'content', 'relations', 'webhooks']) await tx.$queryRawUnsafe(advanceSequenceStatement(table));
      progress.update(options.size === undefined ? lastLine : bytesRead);
      return { counts, inserted: writer.inserted, lines: lastLine, seconds: (performance.now() - started) / 1000 };
    }, LONG_TRANSACTION);
  } finally {
    progress.stop();
  }
}
