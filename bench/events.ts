// npm run bench:events [-- --subscribers 200 --instances 3 --writes 300 --rate 20 --rounds 9 --seconds 5]
// (also the last part of `npm run bench`, unless --no-events)
// Issue 15's figures, on PostgreSQL (a database of its own, made afresh):
//   1. Delivery latency: `--instances` gateway processes, `--subscribers` SSE subscriptions spread over them in
//      mixed roles, writes through the REST face on every instance in turn; for each event and each subscriber
//      that receives it, the time from the write's acknowledgement to the SSE message. Every subscriber must get
//      exactly the events its role may see, in order, or the run fails.
//   2. The write path's cost of the event log: autocannon PUTs of new relations in interleaved rounds, with the
//      event log (triggers enabled, against a fresh instance that NOTIFYs after its writes) and without it
//      (triggers disabled, against a fresh instance started with EVENT_NOTIFY=false: no event row, no NOTIFY, no
//      instance woken); req/s and server CPU per request. The latency run's instances keep listening throughout.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { type Child, cpuMs, round, startChild } from './processes.js';
import { ourCommand, ROOT } from './servers.js';
import { option } from './seed.js';

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => Number(option(args, name) ?? fallback);
const SUBSCRIBERS = num('--subscribers', 200);
const INSTANCES = num('--instances', 3);
const WRITES = num('--writes', 300);
const RATE = num('--rate', 20);
const ROUNDS = num('--rounds', 9);
const SECONDS = num('--seconds', 5);
const base = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/relation_gateway_bench';
const at = (database: string) => Object.assign(new URL(base), { pathname: `/${database}` }).toString();
const databaseUrl = at('relation_gateway_events_bench');

const children: Child[] = [];
process.on('exit', () => children.forEach((c) => c.process.kill('SIGKILL')));

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: at('postgres') });
  await client.connect();
  await client.query(sql);
  await client.end();
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function call(base: string, token: string, method: string, path: string, json?: unknown): Promise<any> {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

interface Received {
  id: number;
  name: string;
  at: number;
}

/** One SSE subscription; collects every relation event with the time it arrived. */
function subscribe(instance: string, token: string, received: Received[]): { ready: Promise<void>; close(): void } {
  const controller = new AbortController();
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  void (async () => {
    const response = await fetch(`${instance}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { relationEvents { id type name } }' }),
    });
    if (response.status !== 200) throw new Error(`subscribe: ${response.status} ${await response.text()}`);
    readyResolve();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (!data) continue;
        const event = JSON.parse(data)?.data?.relationEvents;
        if (event) received.push({ id: Number(event.id), name: event.name, at: performance.now() });
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) console.error('subscriber failed:', error);
    readyResolve();
  });
  return { ready, close: () => controller.abort() };
}

async function latency(instances: Child[], adminToken: string) {
  const [first] = instances;
  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const body = await call(first.url, adminToken, 'POST', '/graphql', { query, variables });
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const user = async (n: string) =>
    (
      await gql('mutation($e: String!, $n: String!) { createUser(input: {email: $e, displayName: $n}) { ... on CreateUserSuccess { token user { accountId } } } }', {
        e: `${n}@events.bench`,
        n,
      })
    ).createUser as { token: string; user: { accountId: string } };
  // Roles: the writer owns a public and a private space; members see both; strangers only the public one; admins all.
  const writer = await user('writer');
  await call(first.url, writer.token, 'POST', '/rest/api/space', { key: 'EVPUB', name: 'Public' });
  await call(first.url, writer.token, 'POST', '/rest/api/space/_private', { key: 'EVPRIV', name: 'Private' });
  const pub = (await call(first.url, writer.token, 'POST', '/rest/api/content', { type: 'page', title: 'open', space: { key: 'EVPUB' } })).id;
  const priv = (await call(first.url, writer.token, 'POST', '/rest/api/content', { type: 'page', title: 'closed', space: { key: 'EVPRIV' } })).id;
  const roles = ['member', 'stranger', 'admin', 'writer'] as const;
  const people: { role: (typeof roles)[number]; token: string }[] = [];
  for (let i = 0; i < 40; i++) {
    const role = roles[i % 4];
    if (role === 'writer') {
      people.push({ role, token: writer.token });
      continue;
    }
    const person = role === 'admin' ? { token: adminToken, user: { accountId: '' } } : await user(`${role}${i}`);
    if (role === 'member') {
      // Only the space's admin (the writer) may add members.
      const added = await call(first.url, writer.token, 'POST', '/graphql', {
        query: 'mutation($u: String!) { addSpaceMember(input: {spaceKey: "EVPRIV", user: $u, level: VIEW}) { __typename } }',
        variables: { u: person.user.accountId },
      });
      if (added.data?.addSpaceMember?.__typename !== 'AddSpaceMemberSuccess') throw new Error(`addSpaceMember: ${JSON.stringify(added)}`);
    }
    people.push({ role, token: person.token });
  }
  const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => {
    const person = people[i % people.length];
    const received: Received[] = [];
    return { ...person, received, ...subscribe(instances[i % instances.length].url, person.token, received) };
  });
  await Promise.all(subscribers.map((s) => s.ready));
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  // Writes: alternately to the public and the private page, each a new relation, on every instance in turn.
  const acked = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < WRITES; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = `ev-${i}`;
    const target = i % 2 === 0 ? pub : priv;
    await call(instances[i % instances.length].url, writer.token, 'PUT', `/rest/api/relation/${name}/from/user/current/to/content/${target}`);
    acked.set(name, performance.now());
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  for (const s of subscribers) s.close();

  const latencies: number[] = [];
  const problems: string[] = [];
  for (const s of subscribers) {
    const expected = [...acked.keys()].filter((_name, i) => i % 2 === 0 || s.role !== 'stranger');
    const got = s.received.map((r) => r.name);
    if (got.join() !== expected.join()) problems.push(`${s.role}: expected ${expected.length} events in order, got ${got.length}`);
    const ids = s.received.map((r) => r.id);
    if (ids.some((id, i) => i > 0 && id <= ids[i - 1])) problems.push(`${s.role}: ids out of order`);
    for (const r of s.received) latencies.push(r.at - acked.get(r.name)!);
  }
  latencies.sort((a, b) => a - b);
  return {
    subscribers: SUBSCRIBERS,
    instances: instances.length,
    writes: WRITES,
    deliveries: latencies.length,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? Number.NaN),
    problems: problems.slice(0, 10),
  };
}

async function writeCost(instance: Child, quiet: Child, writerToken: string, contentId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const triggers = async (on: boolean) => {
    for (const name of ['relations_inserted_event', 'relations_deleted_event']) {
      await client.query(`ALTER TABLE relations ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${name}`);
    }
  };
  const runs: { variant: 'with' | 'without'; reqPerSec: number; cpuMsPerRequest: number; non2xx: number }[] = [];
  let n = 0;
  const put = (seconds: number, target: Child) =>
    autocannon({
      url: target.url,
      connections: 10,
      duration: seconds,
      requests: [
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${writerToken}` },
          setupRequest: (request) => ({ ...request, path: `/rest/api/relation/cost-${n++}/from/user/current/to/content/${contentId}` }),
        },
      ],
    });
  // Warm-up: the first seconds of a process are slower, whichever variant would get them.
  await put(SECONDS, instance);
  await triggers(false);
  await put(SECONDS, quiet);
  for (let r = 0; r < ROUNDS; r++) {
    for (const variant of r % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
      await triggers(variant === 'with');
      const target = variant === 'with' ? instance : quiet;
      const before = cpuMs(target.process.pid!);
      const result = await put(SECONDS, target);
      const cpu = cpuMs(target.process.pid!) - before;
      runs.push({
        variant,
        reqPerSec: round(result.requests.total / result.duration, 0),
        cpuMsPerRequest: round(cpu / Math.max(1, result.requests.total), 2),
        non2xx: result.non2xx + result.errors,
      });
    }
  }
  await triggers(true);
  await client.end();
  const pick = (variant: 'with' | 'without') => runs.filter((run) => run.variant === variant);
  const withLog = median(pick('with').map((run) => run.reqPerSec));
  const without = median(pick('without').map((run) => run.reqPerSec));
  return {
    runs,
    medianWith: withLog,
    medianWithout: without,
    cpuWith: median(pick('with').map((run) => run.cpuMsPerRequest)),
    cpuWithout: median(pick('without').map((run) => run.cpuMsPerRequest)),
    slowerPercent: round((1 - withLog / without) * 100),
  };
}

async function main() {
  await admin('DROP DATABASE IF EXISTS relation_gateway_events_bench WITH (FORCE)');
  await admin('CREATE DATABASE relation_gateway_events_bench');
  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DEMO: 'false', NODE_ENV: 'production' };
  const cli = ourCommand()[0];
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [cli, 'migrate'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const made = JSON.parse(
    execFileSync(process.execPath, [cli, 'user', 'create', '--email', 'admin@events.bench', '--name', 'Admin', '--admin'], {
      env: { ...process.env, ...env },
    }).toString(),
  );
  for (let i = 0; i < INSTANCES; i++) children.push(await startChild(`gateway-${i + 1}`, ourCommand(), env, '/readyz'));
  console.log(`${INSTANCES} gateway processes on ${databaseUrl}; ${SUBSCRIBERS} SSE subscribers; ${WRITES} writes at ${RATE}/s`);
  const delivery = await latency(children, made.token);
  console.log(
    `delivery latency (write acknowledged → SSE message): p50 ${delivery.p50} ms, p99 ${delivery.p99} ms, max ${delivery.max} ms over ${delivery.deliveries} deliveries`,
  );
  if (delivery.problems.length) console.log(`PROBLEMS:\n  ${delivery.problems.join('\n  ')}`);

  const writerToken = JSON.parse(
    execFileSync(process.execPath, [cli, 'token', 'create', '--email', 'writer@events.bench'], { env: { ...process.env, ...env } }).toString(),
  ).token;
  const page = await call(children[0].url, writerToken, 'POST', '/rest/api/content', { type: 'page', title: 'cost', space: { key: 'EVPUB' } });
  // Two fresh instances, alike but for EVENT_NOTIFY, so neither carries the latency run's heap and history.
  const notifying = await startChild('gateway-writes', ourCommand(), env, '/readyz');
  const quiet = await startChild('gateway-writes-without-notify', ourCommand(), { ...env, EVENT_NOTIFY: 'false' }, '/readyz');
  children.push(notifying, quiet);
  const cost = await writeCost(notifying, quiet, writerToken, page.id);
  console.log(
    `create relation (REST PUT, new pair), ${ROUNDS} interleaved rounds of ${SECONDS} s: with the event log ${cost.medianWith} req/s (${cost.cpuWith} ms CPU/request), without it (triggers off, EVENT_NOTIFY=false) ${cost.medianWithout} req/s (${cost.cpuWithout} ms): ${cost.slowerPercent} % slower`,
  );
  for (const child of children) await child.stop();
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const results = { date: new Date().toISOString(), delivery, writeCost: cost };
  writeFileSync(join(out, 'events.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results/events.json');
  if (delivery.problems.length) process.exitCode = 1;
}

await main();
