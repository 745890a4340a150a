// The report of bench/against-baseline.sh: per shape, each pair's req/s and server CPU on the baseline's server
// and on this checkout's, the pair's ratio, and the median of the ratios (the write targets' figure).
// Usage: tsx bench/against-baseline.ts DIR STAMP   (reads DIR/STAMP-<pair>-{baseline,current}.json, writes DIR/STAMP.md)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Summary {
  key: string;
  server: string;
  reqPerSec: number;
  cpuMsPerRequest: number;
  dbCpuMsPerRequest?: number;
}
interface Run {
  date: string;
  summary: Summary[];
  failures: string[];
}

const [dir, stamp] = process.argv.slice(2);
if (!dir || !stamp) throw new Error('usage: tsx bench/against-baseline.ts DIR STAMP');
const read = (file: string): Run => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Run;
const pairs = readdirSync(dir)
  .map((f) => new RegExp(`^${stamp}-(\\d+)-baseline\\.json$`).exec(f)?.[1])
  .filter((n): n is string => n !== undefined)
  .sort((a, b) => Number(a) - Number(b))
  .map((n) => ({ n, baseline: read(`${stamp}-${n}-baseline.json`), current: read(`${stamp}-${n}-current.json`) }));
if (pairs.length === 0) throw new Error(`no runs named ${stamp}-*-baseline.json in ${dir}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ours = (run: Run, key: string) => run.summary.find((s) => s.key === key && s.server === 'ours');
const keys = [...new Set(pairs[0].current.summary.filter((s) => s.server === 'ours').map((s) => s.key))];
const x = (n: number) => `${n.toFixed(2)}×`;

const lines = [
  `# Against the issue-12 baseline (3c976f6), ${pairs.length} pairs`,
  '',
  "Each pair: `npm run bench -- --shapes … --rounds 3` with this checkout's harness on the baseline's server, then on this",
  "checkout's (bench/against-baseline.sh). req/s is each run's median of 3 rounds; the ratio is current ÷ baseline.",
  '',
  '| shape | pair | baseline req/s (run ended) | current req/s (run ended) | current ÷ baseline | server CPU ms/request, baseline / current | database CPU ms/request, baseline / current |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
const medians: string[] = [];
for (const key of keys) {
  const ratios: number[] = [];
  for (const { n, baseline, current } of pairs) {
    const b = ours(baseline, key);
    const c = ours(current, key);
    if (!b || !c) continue;
    ratios.push(c.reqPerSec / b.reqPerSec);
    lines.push(
      `| ${key} | ${n} | ${b.reqPerSec} (${baseline.date.slice(11, 19)}) | ${c.reqPerSec} (${current.date.slice(11, 19)}) | ${x(c.reqPerSec / b.reqPerSec)} | ${b.cpuMsPerRequest} / ${c.cpuMsPerRequest} | ${b.dbCpuMsPerRequest ?? '–'} / ${c.dbCpuMsPerRequest ?? '–'} |`,
    );
  }
  if (ratios.length)
    medians.push(
      `- **${key}**: median of the pairs' ratios **${x(median(ratios))}** (pairs ${ratios.map(x).join(', ')}); target ≥ 2×: ${median(ratios) >= 2 ? 'met' : 'not met'}`,
    );
}
const failures = pairs.flatMap(({ n, baseline, current }) => [
  ...baseline.failures.map((f) => `pair ${n}, baseline: ${f}`),
  ...current.failures.map((f) => `pair ${n}, current: ${f}`),
]);
lines.push(
  '',
  ...medians,
  '',
  failures.length
    ? `Failures:\n${failures.map((f) => `- ${f}`).join('\n')}`
    : 'No run reported a failure (every server gave the same answers, every write did its work).',
);

const text = `${lines.join('\n')}\n`;
writeFileSync(join(dir, `${stamp}.md`), text);
process.stdout.write(text);
