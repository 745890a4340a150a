// Summarises a V8 .cpuprofile (node --cpu-prof): self time by package and by function, idle excluded.
// Usage: tsx bench/profile.ts <file.cpuprofile> [top] [skip ms]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface ProfileSummary {
  busyMs: number;
  packages: { name: string; ms: number; share: number }[];
  functions: { name: string; where: string; ms: number; share: number }[];
}

/** Where a frame's code lives: a package, our own dist/ or src/ file, Node itself, or V8. */
function owner(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node (core)';
  const ours = /\/(dist|src)\/(.+)$/.exec(url);
  return ours ? `ours: ${ours[1]}/${ours[2].split('/')[0]}` : url;
}

/** `skipMs`: leave out the first milliseconds of the profile (start-up, warm-up). */
export function summarise(file: string, top = 15, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const hits = new Map<number, number>();
  const deltas = new Map<number, number>();
  let t = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t / 1000 < skipMs) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    deltas.set(id, (deltas.get(id) ?? 0) + delta);
  });
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  let busy = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (!hits.get(node.id) || functionName === '(idle)') continue;
    const ms = (deltas.get(node.id) ?? 0) / 1000;
    busy += ms;
    const pkg = owner(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const key = `${functionName}@${url}:${lineNumber}`;
    const entry = byFunction.get(key) ?? { name: functionName || '(anonymous)', where: `${pkg}${url ? `:${lineNumber + 1}` : ''}`, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const share = (ms: number) => Math.round((ms / busy) * 1000) / 10;
  return {
    busyMs: Math.round(busy),
    packages: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: share(ms) })),
    functions: [...byFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: Math.round(f.ms), share: share(f.ms) })),
  };
}

export function profileMarkdown(title: string, s: ProfileSummary): string {
  return [
    `### CPU profile: ${title} (${s.busyMs} ms busy, self time)`,
    '',
    '| where | % | | function | where | % |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Array.from({ length: Math.max(s.packages.length, s.functions.length) }, (_, i) => {
      const p = s.packages[i];
      const f = s.functions[i];
      return `| ${p ? `${p.name} | ${p.share}` : ' | '} | | ${f ? `${f.name} | ${f.where} | ${f.share}` : ' | | '} |`;
    }),
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top, skip] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile.ts <file.cpuprofile> [top] [skip ms]');
  console.log(profileMarkdown(file, summarise(file, Number(top) || 15, Number(skip) || 0)));
}
