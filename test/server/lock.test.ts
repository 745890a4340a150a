// The embedded database belongs to one process at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, startServe } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

describe('the data-folder lock', SLOW, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rg-lock-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a second process on the same DATA_DIR fails with an error naming the holder', async () => {
    const first = await startServe({ DATA_DIR: dataDir, DEMO: 'false' });
    try {
      const holder = `process ${first.child.pid}`;
      const second = await runCli(['serve'], { DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`Data directory ${dataDir} is in use by ${holder}`);
      expect(second.stderr).toContain('serve');
      const migrate = await runCli(['migrate'], { DATA_DIR: dataDir });
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toContain(holder);
      const health = await fetch(`${first.url}/readyz`);
      expect(health.status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const after = await runCli(['migrate'], { DATA_DIR: dataDir });
    expect(after.code).toBe(0);
  });
});
