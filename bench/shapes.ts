// The request shapes: each question asked of our server (one or two faces), PostGraphile and the limit,
// and, for writes, how the table is prepared before a load and audited after it.
import type { Fixtures } from './fixtures.js';
import { limitTarget, postgraphileTarget, type Question } from './peer-targets.js';
import { ourGraphql, ourNested, ourReads, ourRest, ourWrite, type Server, type Target } from './targets.js';
import type { WriteKind, WritePool, Writes, WriteTable } from './writes.js';

export type { Question } from './peer-targets.js';

export interface Shape {
  question: Question;
  kind: 'read' | 'write';
  /** Ours first (each face), then PostGraphile, then the limit. */
  targets: Target[];
  /** Writes: puts the server's table in the state a load starts from. */
  prepare?(target: Target): Promise<void>;
  /** Writes: after a load that answered `answered` requests, what went wrong (null: nothing). */
  audit?(target: Target, answered: number): Promise<string | null>;
}

/** Our targets per question, in the order they run. */
export const OUR_KEYS: Record<Question, string[]> = {
  fromCurrent: ['graphql', 'rest'],
  fromAccount: ['graphqlAccount', 'restAccount'],
  toContent: ['graphqlTo', 'restTo'],
  umbracoParent: ['umbracoParent'],
  one: ['restOne'],
  nested: ['graphqlNested'],
  putExisting: ['putExisting'],
  putNew: ['putNew'],
  delete: ['delete'],
};

export const QUESTIONS = Object.keys(OUR_KEYS) as Question[];
const WRITES: Question[] = ['putExisting', 'putNew', 'delete'];
export const READ_KEYS = QUESTIONS.filter((q) => !WRITES.includes(q)).flatMap((q) => OUR_KEYS[q]);

/** `--shapes a,b`: question names or our target keys; a target key keeps its question's peers. Null: everything. */
export function selectShapes(arg: string | undefined): Map<Question, string[]> {
  const all = new Map(QUESTIONS.map((q) => [q, OUR_KEYS[q]]));
  if (arg === undefined) return all;
  const chosen = new Map<Question, string[]>();
  for (const name of arg
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const question = (QUESTIONS as string[]).includes(name) ? (name as Question) : QUESTIONS.find((q) => OUR_KEYS[q].includes(name));
    if (!question) throw new Error(`--shapes: unknown shape '${name}'; known: ${[...QUESTIONS, ...QUESTIONS.flatMap((q) => OUR_KEYS[q])].join(', ')}`);
    const keys = name === question ? OUR_KEYS[question] : [...(chosen.get(question) ?? []), name];
    chosen.set(
      question,
      OUR_KEYS[question].filter((k) => keys.includes(k)),
    );
  }
  return new Map(QUESTIONS.filter((q) => chosen.has(q)).map((q) => [q, chosen.get(q)!]));
}

export interface Bases {
  ours?: string;
  postgraphile?: string;
  limit?: string;
}

/** Who asks: the bench user reads, the writer writes (each with its token). */
export interface Viewer {
  userId: number;
  email: string;
  token: string;
  fixtures: Fixtures;
  writer: { userId: number; email: string; token: string };
}

const tableOf = (server: Server): WriteTable => (server === 'postgraphile' ? 'peer.relations' : 'relations');

/** Our read targets by key, at page size `first` (the statement counts also ask for 1 and 200). */
export function ourReadTargets(base: string, v: Viewer, first?: number): Record<string, Target> {
  return {
    graphql: ourGraphql(base, v.token, { first }),
    rest: ourRest(base, v.email, v.token, { size: first }),
    graphqlNested: ourNested(base, v.token),
    ...ourReads(base, v.email, v.token, v.fixtures, first),
  };
}

function writeShape(question: WriteKind, bases: Bases, v: Viewer, writes: Writes, keys: string[]): Shape {
  let pool: WritePool = writes.pairs(question);
  const next = () => pool.next();
  const targets: Target[] = [];
  const w = v.writer;
  if (bases.ours && keys.length) targets.push(ourWrite(bases.ours, w.email, w.token, v.fixtures, question, next));
  if (bases.postgraphile) targets.push(postgraphileTarget(bases.postgraphile, w.userId, question, v.fixtures, next));
  if (bases.limit) targets.push(limitTarget(bases.limit, w.userId, question, v.fixtures, next));
  return {
    question,
    kind: 'write',
    targets,
    async prepare(target) {
      pool = writes.pairs(question);
      await writes.prepare(question, tableOf(target.server));
    },
    audit: (target, answered) => writes.audit(question, tableOf(target.server), pool, answered),
  };
}

/** The shapes chosen, against the servers that run; writes need `writes` (the main PostgreSQL database). */
export function buildShapes(selection: Map<Question, string[]>, bases: Bases, v: Viewer, writes?: Writes): Shape[] {
  const shapes: Shape[] = [];
  const reads = bases.ours ? ourReadTargets(bases.ours, v) : {};
  for (const [question, keys] of selection) {
    if (WRITES.includes(question)) {
      if (writes) shapes.push(writeShape(question as WriteKind, bases, v, writes, keys));
      continue;
    }
    const targets = keys.flatMap((k) => (reads[k] ? [reads[k]] : []));
    if (bases.postgraphile) targets.push(postgraphileTarget(bases.postgraphile, v.userId, question, v.fixtures));
    if (bases.limit) targets.push(limitTarget(bases.limit, v.userId, question, v.fixtures));
    shapes.push({ question, kind: 'read', targets });
  }
  return shapes;
}
