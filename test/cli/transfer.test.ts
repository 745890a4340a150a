// export / import (docs/export-import.md): round trips re-export byte-identical, on PGlite and PostgreSQL and
// between them; refused files (non-empty target, truncated, corrupt, refused by the database) change nothing.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { exportModel } from '../../src/transfer/export.js';
import { ImportRefused, importModel } from '../../src/transfer/import.js';
import { terminalProgress } from '../../src/transfer/progress.js';
import { freshDatabase } from '../support/database.js';
import { freshPlace, ROOT, runCli, type Place } from '../support/processes.js';
import { ensurePgliteTemplate, readTemplate } from '../support/templates.js';
import { AWKWARD, fillModel, relationId } from './transfer-data.js';

const SLOW = { timeout: 300_000 };
/** The normal suite moves 5,000 relations; TRANSFER_RELATIONS=100000 runs the full-size round trip (docs/export-import.md). */
const RELATIONS = Number(process.env.TRANSFER_RELATIONS) || 5_000;
const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

async function exportText(db: Database): Promise<string> {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  await exportModel(db, out);
  return chunks.join('');
}

const importText = (db: Database, text: string, merge = false) => importModel(db, Readable.from([Buffer.from(text)]), { merge });

/** An embedded database whatever TEST_DATABASE_URL says (freshDatabase follows it). */
async function freshPglite(): Promise<Database> {
  const pglite = await PGlite.create({ loadDataDir: readTemplate(await ensurePgliteTemplate()) });
  return openDatabase({ pglite, migrate: false });
}

/** The lines of an export with its end record recomputed: a file edited after export, as one would by hand. */
function reseal(lines: string[]): string {
  const body = lines.slice(0, -1).map((line) => line + '\n');
  const end = JSON.parse(lines[lines.length - 1]).end;
  const counts = Object.fromEntries(Object.keys(end.counts).map((kind) => [kind, 0]));
  for (const line of body.slice(1)) counts[/^\{"(\w+)"/.exec(line)![1]]++;
  const sha256 = createHash('sha256').update(body.join('')).digest('hex');
  return body.join('') + JSON.stringify({ end: { lines: body.length, counts, sha256 } }) + '\n';
}

async function refusal(promise: Promise<unknown>): Promise<ImportRefused> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRefused);
  return error as ImportRefused;
}

describe('export and import', SLOW, () => {
  let source: Database;
  let exported: string;
  let lines: string[];

  beforeAll(async () => {
    source = await freshDatabase();
    await fillModel(source, RELATIONS);
    exported = await exportText(source);
    lines = exported.trimEnd().split('\n');
  }, SLOW.timeout);
  afterAll(async () => source?.close());

  test('the file is a header, every row of every table in key order, and an end record with counts and checksum', () => {
    expect(JSON.parse(lines[0])).toEqual({ header: { format: 'relation-gateway-export', version: 1 } });
    const kinds = lines.slice(1, -1).map((line) => Object.keys(JSON.parse(line))[0]);
    const order = ['user', 'apiToken', 'space', 'spaceMember', 'content', 'contentVersion', 'relation', 'webhook'];
    expect([...new Set(kinds)]).toEqual(order);
    const end = JSON.parse(lines[lines.length - 1]).end;
    expect(end.counts).toEqual({
      user: 500,
      apiToken: 2,
      space: 500,
      spaceMember: 1500,
      content: 500,
      contentVersion: 1001,
      relation: RELATIONS,
      webhook: 2,
    });
    expect(end.lines).toBe(lines.length - 1);
    expect(end.sha256).toBe(
      createHash('sha256')
        .update(exported.slice(0, exported.length - lines[lines.length - 1].length - 1))
        .digest('hex'),
    );
    expect(lines.filter((line) => line.startsWith('{"relation"')).at(-1)).toBe(
      `{"relation":{"id":${relationId(RELATIONS)},"name":"likes","sourceType":"USER","sourceId":1,"sourceVersion":0,` +
        `"targetType":"${['USER', 'SPACE', 'CONTENT'][(RELATIONS / 500) % 3]}","targetId":${1 + RELATIONS / 500},"targetVersion":0,` +
        `"createdById":1,"createdAt":"${new Date(Date.UTC(2026, 2, 1) + RELATIONS * 37).toISOString()}","comment":"note ${RELATIONS} ${JSON.stringify(AWKWARD).slice(1, -1)}"}}`,
    );
  });

  test('tokens travel as their SHA-256 hashes, with every column', () => {
    expect(lines.filter((line) => line.startsWith('{"apiToken"'))).toEqual([
      `{"apiToken":{"id":1,"userId":1,"name":"cli","hash":"${'a'.repeat(64)}","prefix":"rg_aaaaaa","createdAt":"2026-02-01T10:00:00.123Z","lastUsedAt":null}}`,
      `{"apiToken":{"id":3,"userId":2,"name":${JSON.stringify(AWKWARD)},"hash":"${'b'.repeat(64)}","prefix":"rg_bbbbbb","createdAt":"2026-02-02T10:00:00.000Z","lastUsedAt":"2026-02-03T11:12:13.999Z"}}`,
    ]);
  });

  test('webhooks travel with their secrets; an imported one starts after the newest event of its new database', async () => {
    expect(lines.filter((line) => line.startsWith('{"webhook"'))).toEqual([
      `{"webhook":{"id":1,"ownerId":1,"name":"hook","url":"https://hooks.example/a","secret":"whsec_${'A'.repeat(43)}=","events":["CREATED"],"relationName":null,"createdAt":"2026-04-01T08:00:00.500Z"}}`,
      `{"webhook":{"id":4,"ownerId":2,"name":${JSON.stringify(AWKWARD)},"url":"https://hooks.example/b?x=1","secret":"whsec_${'B'.repeat(43)}=","events":["CREATED","DELETED"],"relationName":"likes","createdAt":"2026-04-02T09:30:00.000Z"}}`,
    ]);
    const target = await freshDatabase();
    try {
      await importText(target, exported);
      // The import's relations were events of the new database; the webhooks do not deliver them.
      const rows = await target.prisma.$queryRawUnsafe<{ cursor: string; newest: string }[]>(
        'SELECT w.cursor::text AS cursor, (SELECT max(id) FROM relation_events)::text AS newest FROM webhooks w ORDER BY w.id',
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.cursor).toBe(row.newest);
    } finally {
      await target.close();
    }
  });

  test('an import into an empty database re-exports byte-identical, ids and gaps kept', async () => {
    const target = await freshDatabase();
    try {
      const summary = await importText(target, exported);
      expect(summary.counts.relation).toBe(RELATIONS);
      expect(summary.inserted).toEqual(summary.counts);
      expect(await exportText(target)).toBe(exported);
    } finally {
      await target.close();
    }
  });

  test('after an import, new rows get ids after the imported ones', async () => {
    const target = await freshDatabase();
    try {
      await importText(target, exported);
      const space = await target.prisma.space.create({ data: { key: 'NEW', name: 'New' } });
      expect(space.id).toBe(501);
      const [relation] = await target.prisma.$queryRawUnsafe<{ id: number }[]>(
        `INSERT INTO relations (name, source_type, source_id, source_user_id, target_type, target_id, target_space_id)
         VALUES ('new', 'USER', 1, 1, 'SPACE', 501, 501) RETURNING id`,
      );
      expect(relation.id).toBe(relationId(RELATIONS) + 1);
    } finally {
      await target.close();
    }
  });

  test.runIf(ON_POSTGRES)('PGlite → PostgreSQL → PGlite re-exports byte-identical at every step', async () => {
    // `source` is on PostgreSQL here; its file goes through an embedded database and back to another server database.
    const embedded = await freshPglite();
    const server = await freshDatabase();
    try {
      await importText(embedded, exported);
      const fromEmbedded = await exportText(embedded);
      expect(fromEmbedded).toBe(exported);
      await importText(server, fromEmbedded);
      expect(await exportText(server)).toBe(exported);
    } finally {
      await embedded.close();
      await server.close();
    }
  });

  test('a non-empty database is refused without --merge, and keeps what it had', async () => {
    const target = await freshDatabase();
    try {
      await target.prisma.space.create({ data: { key: 'MINE', name: 'Mine' } });
      const error = await refusal(importText(target, exported));
      expect(error.message).toBe(
        'the database is not empty (it holds spaces): import into an empty database, or add --merge to combine (docs/export-import.md); nothing was imported',
      );
      expect(await target.prisma.space.findMany({ select: { key: true } })).toEqual([{ key: 'MINE' }]);
    } finally {
      await target.close();
    }
  });

  describe('a damaged file is refused with its line, and the database stays empty', () => {
    let target: Database;
    beforeAll(async () => {
      target = await freshDatabase();
    });
    afterAll(async () => target?.close());

    const last = () => lines.length;
    const cases: [string, () => string, () => number, RegExp][] = [
      [
        'cut in the middle of a relation line',
        () => exported.slice(0, exported.lastIndexOf('"comment"')),
        () => last() - 3,
        /the file ends in the middle of a line: it is truncated/,
      ],
      ['cut after a whole line', () => lines.slice(0, -3).join('\n') + '\n', () => last() - 2, /the file ends without its end record: it is truncated/],
      ['a line that is not JSON', () => reseal(lines.map((l, i) => (i === 700 ? l.slice(0, -5) : l))), () => 701, /^line 701: not JSON/],
      [
        'a value changed after export',
        () => exported.replace('"title":"Page 7"', '"title":"Page 8"'),
        () => last(),
        /the checksum of lines 1 to \d+ does not match the end record/,
      ],
      ['an unknown field', () => reseal(lines.map((l, i) => (i === 3 ? l.replace('"siteAdmin"', '"root":1,"siteAdmin"') : l))), () => 4, /unknown user field 'root'/],
      ['a wrong type', () => reseal(lines.map((l, i) => (i === 5 ? l.replace(/"id":5,/, '"id":"5",') : l))), () => 6, /user id must be a 32-bit integer/],
      ['a row out of order', () => reseal(lines.map((l, i) => (i === 10 ? lines[9] : l))), () => 11, /user id 9 is out of order/],
      ['a section out of order', () => reseal([lines[0], lines[501], ...lines.slice(1, 501), ...lines.slice(502)]), () => 3, /a user record after the apiToken records/],
      [
        'a row whose user is missing',
        () => reseal(lines.filter((l) => !l.startsWith('{"user":{"id":77,'))),
        () => lines.findIndex((l) => /"createdById":77,/.test(l)),
        /the database refused the row: .*foreign key/,
      ],
      [
        'a duplicate e-mail',
        () => reseal(lines.map((l) => l.replace('"user42@example.com"', '"user41@example.com"'))),
        () => 43,
        /the database refused the row: .*unique/i,
      ],
      ['no header', () => lines.slice(1).join('\n') + '\n', () => 1, /this is not a relation-gateway export/],
      ['a newer format', () => exported.replace('"version":1}', '"version":2}'), () => 1, /export format version 2 is not supported/],
    ];

    test.each(cases)('%s', async (_name, file, line, reason) => {
      const error = await refusal(importText(target, file()));
      expect(error.line).toBe(line());
      expect(error.message).toMatch(new RegExp(`^line ${line()}: `));
      expect(error.message).toMatch(reason);
      expect(error.message).toMatch(/; nothing was imported$/);
      const [counts] = await target.prisma.$queryRawUnsafe<Record<string, number>[]>(
        `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM relations)::int AS relations, (SELECT count(*) FROM spaces)::int AS spaces`,
      );
      expect(counts).toEqual({ users: 0, relations: 0, spaces: 0 });
    });
  });

  describe('--merge', () => {
    test('merging a file into the database it came from changes nothing', async () => {
      const target = await freshDatabase();
      try {
        await importText(target, exported);
        const summary = await importText(target, exported, true);
        expect(Object.values(summary.inserted).every((n) => n === 0)).toBe(true);
        expect(await exportText(target)).toBe(exported);
      } finally {
        await target.close();
      }
    });

    test('merging a later export of the same database adds what is missing and keeps what the database has', async () => {
      const target = await freshDatabase();
      try {
        await importText(target, exported);
        // The database loses some relations and changes a title; the file (an earlier export) still has them.
        await target.prisma.$executeRawUnsafe(`DELETE FROM relations WHERE id <= 20`);
        await target.prisma.$executeRawUnsafe(`UPDATE content SET title = 'Renamed' WHERE id = 7`);
        await target.prisma.$executeRawUnsafe(`INSERT INTO space_members (space_id, user_id, level) VALUES (1, 2, 'ADMIN') ON CONFLICT DO NOTHING`);
        const summary = await importText(target, exported, true);
        expect(summary.inserted.relation).toBe(20);
        expect(summary.inserted.content).toBe(0);
        const again = await exportText(target);
        expect(again).toContain('"id":7,"spaceId":8,"type":"folder","status":"current","title":"Renamed"');
        expect(
          again
            .replace('"title":"Renamed"', '"title":"Page 7"')
            .split('\n')
            .filter((l) => !l.startsWith('{"end"') && !l.includes('"spaceId":1,"userId":2,')),
        ).toEqual(exported.split('\n').filter((l) => !l.startsWith('{"end"') && !l.includes('"spaceId":1,"userId":2,')));
      } finally {
        await target.close();
      }
    });

    test('an id that is another entity in the database is refused with its line, and nothing is merged', async () => {
      const target = await freshDatabase();
      try {
        await target.prisma.$executeRawUnsafe(
          `INSERT INTO users (id, account_id, user_key, username, email, display_name) VALUES (3, 'ffff', 'ffff', 'other', 'other@example.com', 'Other')`,
        );
        const before = await exportText(target);
        const error = await refusal(importText(target, exported, true));
        expect(error.message).toMatch(/^line 4: user id 3 is another user in the database \(its accountId differ\)/);
        expect(await exportText(target)).toBe(before);
      } finally {
        await target.close();
      }
    });
  });
});

test('a terminal gets a progress bar on stderr; a pipe gets nothing', async () => {
  const db = await freshDatabase();
  try {
    await fillModel(db, 10);
    const terminal = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 100,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    let drawn = '';
    terminal.on('data', (d) => (drawn += d));
    await exportModel(db, new PassThrough().resume(), terminalProgress(terminal as unknown as NodeJS.WriteStream));
    expect(drawn).toMatch(/100% \| (\d+)\/\1 rows/);
    const pipe = Object.assign(new PassThrough(), { isTTY: false });
    let piped = '';
    pipe.on('data', (d) => (piped += d));
    await exportModel(db, new PassThrough().resume(), terminalProgress(pipe as unknown as NodeJS.WriteStream));
    expect(piped).toBe('');
  } finally {
    await db.close();
  }
});

const { DATABASE_URL: _url, TEST_DATABASE_URL: _test, ...inherited } = process.env;

/** Runs the CLI with a file as stdin or stdout, as a shell redirection does. */
function runWithFile(args: string[], env: Record<string, string>, file: { stdin?: string; stdout?: string }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const stdin = file.stdin ? openSync(file.stdin, 'r') : 'ignore';
    const stdout = file.stdout ? openSync(file.stdout, 'w') : 'pipe';
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...inherited, LOG_LEVEL: 'info', ...env },
      stdio: [stdin, stdout, 'pipe'],
    });
    for (const fd of [stdin, stdout]) if (typeof fd === 'number') closeSync(fd);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: out, stderr: err }));
  });
}

// The seeded embedded database is only read (exported) by the tests; every import goes into a fresh place of
// the test's own, so the tests pass in any order (`--sequence.shuffle`).
describe('the export and import commands', SLOW, () => {
  let embedded: string;
  let files: string;
  const places: Place[] = [];
  /** PostgreSQL under TEST_DATABASE_URL, else another embedded folder; removed after the tests. */
  const ownPlace = async () => {
    const place = await freshPlace();
    places.push(place);
    return place;
  };

  beforeAll(async () => {
    embedded = mkdtempSync(join(tmpdir(), 'rg-transfer-'));
    files = mkdtempSync(join(tmpdir(), 'rg-transfer-files-'));
    const seeded = await runCli(['seed', '--demo'], { DATA_DIR: embedded });
    expect(seeded.code).toBe(0);
  }, SLOW.timeout);
  afterAll(async () => {
    for (const place of places) await place.cleanup();
    rmSync(embedded, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  test(`export from the embedded database, import into ${ON_POSTGRES ? 'PostgreSQL' : 'another one'}, export again: the same bytes`, async () => {
    const first = join(files, 'first.ndjson');
    const second = join(files, 'second.ndjson');
    const place = await ownPlace();
    const exported = await runWithFile(['export'], { DATA_DIR: embedded }, { stdout: first });
    expect(exported.code).toBe(0);
    // Not a terminal: no progress bar, only the summary.
    expect(exported.stderr).toMatch(
      /^Exported 5 user, 1 apiToken, 3 space, \d+ spaceMember, \d+ content, \d+ contentVersion, \d+ relation, \d+ webhook \(\d+ lines\) in [\d.]+ s\n$/,
    );
    const imported = await runWithFile(['import'], place.env, { stdin: first });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 5 user, 1 apiToken, 3 space, .* relation, \d+ webhook in [\d.]+ s\n$/);
    expect((await runWithFile(['export'], place.env, { stdout: second })).code).toBe(0);
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
  });

  test('import into a database that has data exits 1 and says why', async () => {
    const file = join(files, 'again.ndjson');
    expect((await runWithFile(['export'], { DATA_DIR: embedded }, { stdout: file })).code).toBe(0);
    const place = await ownPlace();
    // The database gets its data from a first import of the same file.
    expect((await runWithFile(['import'], place.env, { stdin: file })).code).toBe(0);
    const again = await runWithFile(['import'], place.env, { stdin: file });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^relation-gateway: the database is not empty .*add --merge/);
    const merged = await runWithFile(['import', '--merge'], place.env, { stdin: file });
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/^Imported 0 user, 0 apiToken, 0 space, 0 spaceMember, 0 content, 0 contentVersion, 0 relation, 0 webhook new \(of 5 user/);
  });

  test('a truncated file exits 1 naming the line', async () => {
    const whole = join(files, 'whole.ndjson');
    const cut = join(files, 'cut.ndjson');
    expect((await runWithFile(['export'], { DATA_DIR: embedded }, { stdout: whole })).code).toBe(0);
    const text = readFileSync(whole, 'utf8');
    writeFileSync(cut, text.slice(0, text.length - 40));
    const fresh = await freshPlace();
    try {
      const refused = await runWithFile(['import'], fresh.env, { stdin: cut });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `relation-gateway: line ${text.trimEnd().split('\n').length}: the file ends in the middle of a line: it is truncated; nothing was imported\n`,
      );
    } finally {
      await fresh.cleanup();
    }
  });
});
