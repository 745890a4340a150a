// The write shapes' relations: the writer's relations (data.ts, WRITER_USER_ID) of names of their own, to every
// content it may view, so the read shapes' rows, pages and statistics are never touched. Before each load the harness puts the table of the
// server under test in the state the shape needs; after it, checks that every answered request did its work.
//   PUT of an existing relation: cycles through relations that exist (the "present" names);
//   PUT of a new relation:       each request a pair that does not exist yet (the "absent" names, emptied first);
//   DELETE:                      each request an existing relation (the "present" names, refilled first).
import pg from 'pg';
import { WRITER_USER_ID } from './data.js';
import { visibleTo } from './fixtures.js';

export type WriteKind = 'putExisting' | 'putNew' | 'delete';
/** Ours and the limit write our `relations`; PostGraphile writes `peer.relations`. */
export type WriteTable = 'relations' | 'peer.relations';

const names = (prefix: string) => [1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`);
const PRESENT = names('bookmark');
const ABSENT = names('new-bookmark');

export interface WritePair {
  name: string;
  content: number;
}

/** The pairs one load walks through, in a fixed order; `issued` counts the requests built so far. */
export class WritePool {
  issued = 0;
  constructor(
    readonly names: string[],
    readonly contents: number[],
  ) {}

  get size(): number {
    return this.names.length * this.contents.length;
  }

  next(): WritePair {
    const i = this.issued++ % this.size;
    return { name: this.names[Math.floor(i / this.contents.length)], content: this.contents[i % this.contents.length] };
  }
}

const SQL = {
  relations: {
    fill: `INSERT INTO relations (name, source_type, source_id, target_type, target_id, source_user_id, target_content_id, created_by_id)
           SELECT n, 'USER', ${WRITER_USER_ID}, 'CONTENT', c, ${WRITER_USER_ID}, c, ${WRITER_USER_ID}
           FROM unnest($1::text[]) n, unnest($2::int[]) c ON CONFLICT DO NOTHING`,
    empty: `DELETE FROM relations WHERE name = ANY($1) AND source_type = 'USER' AND source_id = ${WRITER_USER_ID}`,
    count: `SELECT count(*)::int AS n FROM relations WHERE name = ANY($1) AND source_type = 'USER' AND source_id = ${WRITER_USER_ID}`,
  },
  'peer.relations': {
    fill: `INSERT INTO peer.relations (name, source_user_id, target_content_id, created_by_id)
           SELECT n, ${WRITER_USER_ID}, c, ${WRITER_USER_ID} FROM unnest($1::text[]) n, unnest($2::int[]) c ON CONFLICT DO NOTHING`,
    empty: `DELETE FROM peer.relations WHERE name = ANY($1) AND source_user_id = ${WRITER_USER_ID}`,
    count: `SELECT count(*)::int AS n FROM peer.relations WHERE name = ANY($1) AND source_user_id = ${WRITER_USER_ID}`,
  },
} as const;

const TABLES = ['relations', 'peer.relations'] as const;

/** No write pairs in either table; VACUUM ANALYZE so space, visibility map and statistics are the seed's. */
async function clear(pool: pg.Pool): Promise<void> {
  for (const table of TABLES) {
    await pool.query(SQL[table].empty, [[...PRESENT, ...ABSENT]]);
    await pool.query(`VACUUM ANALYZE ${table}`);
  }
}

/**
 * Autovacuum off on both tables while the writes run: its ANALYZE would count the write pairs (tens of thousands
 * of rows of one user and a few names), and the reads' plans would then change from round to round.
 */
async function autovacuum(pool: pg.Pool, on: boolean): Promise<void> {
  for (const table of TABLES) await pool.query(`ALTER TABLE ${table} ${on ? 'RESET (autovacuum_enabled)' : 'SET (autovacuum_enabled = off)'}`);
}

export class Writes {
  private constructor(
    private readonly pool: pg.Pool,
    readonly contents: number[],
  ) {}

  /** Every content the writer may relate to: current, in a space it may view. Starts from tables without write pairs. */
  static async open(databaseUrl: string): Promise<Writes> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await autovacuum(pool, false);
    await clear(pool);
    const { rows } = await pool.query<{ id: number }>(
      `SELECT c.id FROM content c JOIN spaces s ON s.id = c.space_id WHERE c.status = 'current' AND ${visibleTo(WRITER_USER_ID)} ORDER BY c.id`,
    );
    return new Writes(
      pool,
      rows.map((r) => r.id),
    );
  }

  /** A fresh pool of pairs for one load of `kind`. */
  pairs(kind: WriteKind): WritePool {
    return new WritePool(kind === 'putNew' ? ABSENT : PRESENT, this.contents);
  }

  /** Brings `table` into the state `kind` starts from: all its pairs present, or none. */
  async prepare(kind: WriteKind, table: WriteTable): Promise<void> {
    if (kind === 'putNew') await this.pool.query(SQL[table].empty, [ABSENT]);
    else await this.pool.query(SQL[table].fill, [PRESENT, this.contents]);
  }

  /**
   * After a load that answered `answered` requests (built: `pool.issued`): did each do its work? Null when so.
   * A PUT of a new pair created a row, a DELETE removed one, and a PUT of an existing pair changed no count.
   */
  async audit(kind: WriteKind, table: WriteTable, pool: WritePool, answered: number): Promise<string | null> {
    const [{ n }] = (await this.pool.query<{ n: number }>(SQL[table].count, [pool.names])).rows;
    const full = pool.size;
    if (pool.issued > full && kind !== 'putExisting') return `${kind} on ${table}: ${pool.issued} requests for ${full} pairs (the pool wrapped)`;
    const done = kind === 'putNew' ? n : full - n;
    const [low, high] = kind === 'putExisting' ? [0, 0] : [answered, pool.issued];
    if (done < low || done > high) {
      const what = kind === 'putNew' ? 'created' : kind === 'delete' ? 'deleted' : 'created or deleted';
      return `${kind} on ${table}: ${done} rows ${what}, expected ${low === high ? low : `${low}–${high}`} (${answered} requests answered)`;
    }
    return null;
  }

  /** Between rounds: VACUUM (not ANALYZE) what the writes left behind, as autovacuum would, so the reads meet no dead rows. */
  async settle(): Promise<void> {
    for (const table of TABLES) await this.pool.query(`VACUUM ${table}`);
  }

  /** Removes the write pairs again, so the data set is the seed's for the next run. */
  async close(): Promise<void> {
    await clear(this.pool);
    await autovacuum(this.pool, true);
    await this.pool.end();
  }
}
