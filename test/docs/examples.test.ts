// Every curl command and GraphQL block in README.md and docs/*.md runs against a served gateway with the
// demo data, in the order a reader meets them, and answers the status its comment names (else any 2xx).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPlace, graphql, runCli, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';
import { ROOT } from '../support/processes.js';

const DOCUMENTED_HOST = 'http://127.0.0.1:4000';
const PLACEHOLDER = /rg_x+/g;

interface Example {
  where: string;
  kind: 'curl' | 'graphql';
  /** curl: the block's variable assignments, then the command; graphql: the document. */
  text: string;
  preamble: string[];
  /** From the comment on the line or just above it; undefined: any 2xx. */
  status?: number;
}

function examplesOf(file: string): Example[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const examples: Example[] = [];
  for (const block of source.matchAll(/^( *)```(\w*)\n([\s\S]*?)^ *```/gm)) {
    const [, indent, lang, body] = block;
    const line = source.slice(0, block.index).split('\n').length;
    const lines = body.split('\n').map((l) => l.slice(indent.length));
    if (lang === 'graphql') {
      examples.push({ where: `${file}:${line}`, kind: 'graphql', text: lines.join('\n'), preamble: [] });
      continue;
    }
    if (!lines.some((l) => l.startsWith('curl '))) continue;
    const preamble = lines.filter((l) => /^[A-Z]+=/.test(l));
    let comment = '';
    lines.forEach((l, i) => {
      if (l.startsWith('#')) comment = l;
      if (!l.startsWith('curl ')) {
        if (l.trim() === '') comment = '';
        return;
      }
      const own = l.includes(' # ') ? l.slice(l.indexOf(' # ')) : '';
      const status = /\b([1-5]\d\d)\b/.exec(own || comment)?.[1];
      examples.push({ where: `${file}:${line + 1 + i}`, kind: 'curl', text: l, preamble, status: status ? Number(status) : undefined });
      comment = '';
    });
  }
  return examples;
}

const files = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const examples = files.flatMap(examplesOf);

let place: Place;
let served: Serving;
const tokens = new Map<string, string>();

/** The documented host becomes the served one; a placeholder token becomes a real one for the e-mail the block names. */
function substitute(example: Example, text: string): string {
  const email = /\b(\w+)@example\.com\b/.exec([...example.preamble, example.text].join('\n'))?.[0] ?? 'admin@example.com';
  return text.replaceAll(DOCUMENTED_HOST, served.url).replace(PLACEHOLDER, tokens.get(email) ?? tokens.get('admin@example.com')!);
}

describe('the examples in README.md and docs/', () => {
  beforeAll(async () => {
    place = await freshPlace();
    const seeded = await runCli(['seed', '--demo'], place.env);
    tokens.set('admin@example.com', seeded.stdout.match(TOKEN)![0]);
    for (const email of ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']) {
      const issued = await runCli(['token', 'create', '--email', email], place.env);
      tokens.set(email, JSON.parse(issued.stdout).token);
    }
    // docs/events.md creates a webhook to a receiver on this machine, as its text says to run the gateway.
    served = await startServe({ ...place.env, WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
  }, 180_000);

  afterAll(async () => {
    await served?.stop();
    await place?.cleanup();
  });

  it('finds the curl commands and GraphQL blocks', () => {
    expect(examples.filter((e) => e.kind === 'curl').length).toBeGreaterThanOrEqual(15);
    expect(examples.filter((e) => e.kind === 'graphql').length).toBeGreaterThanOrEqual(3);
  });

  // One after the other, as written: a later example may rely on what an earlier one created.
  it('every example answers as documented on the demo data', async () => {
    const failures: string[] = [];
    for (const example of examples) {
      if (example.kind === 'graphql') {
        const { status, body } = await graphql(served.url, tokens.get('admin@example.com')!, example.text);
        if (status !== 200 || body.errors) failures.push(`${example.where}: GraphQL ${status} ${JSON.stringify(body.errors)}`);
        continue;
      }
      // A trailing filter (`| grep …`) is run as written and must succeed; the status comes from curl alone.
      const [command, filter] = example.text.split(/\s+\|\s+(?=grep|jq|head|tail)/);
      if (filter !== undefined) {
        const piped = [...example.preamble, `set -o pipefail; ${example.text}`].map((l) => substitute(example, l)).join('\n');
        try {
          execFileSync('bash', ['-c', piped], { encoding: 'utf8' });
        } catch {
          failures.push(`${example.where}: the filter found nothing: ${example.text}`);
        }
      }
      // An event stream (`curl -N`) does not end by itself: it is read for 2 s, by when it must have answered its status.
      const stream = /^curl -N /.test(command);
      const curl = `curl -s -o /dev/null -w '%{http_code}'${stream ? ' --max-time 2' : ''} `;
      const script = [...example.preamble, command.replace(/^curl /, curl)].map((l) => substitute(example, l)).join('\n');
      // curl's exit code 28 is that timeout; the status it printed stands.
      const run = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
      const status = run.status === 0 || (stream && run.status === 28) ? Number(run.stdout) : -1;
      const fine = example.status === undefined ? status >= 200 && status < 300 : status === example.status;
      if (!fine) failures.push(`${example.where}: ${status}, documented ${example.status ?? '2xx'}: ${example.text}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
