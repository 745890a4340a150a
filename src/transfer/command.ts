// The export and import commands at the process's edges: stdout/stdin, the progress bar, the one-line summary.
import { fstatSync } from 'node:fs';
import type { Database } from '../db/database.js';
import { exportModel } from './export.js';
import { importModel } from './import.js';
import { terminalProgress } from './progress.js';

const amounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');

export async function runExport(db: Database): Promise<void> {
  if (process.stdout.isTTY) throw new Error('export writes NDJSON to stdout: redirect it to a file (relation-gateway export > model.ndjson)');
  const summary = await exportModel(db, process.stdout, terminalProgress());
  process.stderr.write(`Exported ${amounts(summary.counts)} (${summary.lines} lines) in ${summary.seconds.toFixed(1)} s\n`);
}

export async function runImport(db: Database, options: { merge: boolean }): Promise<void> {
  if (process.stdin.isTTY) throw new Error('import reads an export from stdin: relation-gateway import < model.ndjson');
  const stat = fstatSync(0);
  const summary = await importModel(db, process.stdin, {
    merge: options.merge,
    progress: terminalProgress(),
    size: stat.isFile() ? stat.size : undefined,
  });
  const what = options.merge ? `${amounts(summary.inserted)} new (of ${amounts(summary.counts)})` : amounts(summary.counts);
  process.stdout.write(`Imported ${what} in ${summary.seconds.toFixed(1)} s\n`);
}
