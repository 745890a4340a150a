// Builds dist/ with tsc only when its sources changed: `npm start` runs this first, and a full tsc
// run takes 10–25 s on a small machine. The stamp is a hash of src/, the tsconfig files and the
// compiler's version; `--force` builds regardless.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'dist', '.build-stamp');
const require = createRequire(import.meta.url);

function files(folder) {
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? files(join(folder, entry.name)) : [join(folder, entry.name)]));
}

function sourceHash() {
  const hash = createHash('sha256');
  hash.update(`typescript ${require('typescript/package.json').version}\n`);
  for (const file of [join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), ...files(join(root, 'src'))]) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

const hash = sourceHash();
const current = existsSync(join(root, 'dist', 'cli.js')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash;
if (current && !process.argv.includes('--force')) {
  console.log('dist/ is current (no source changed since the last build)');
  process.exit(0);
}

console.log('Building dist/ (tsc)...');
const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampFile, hash + '\n');
