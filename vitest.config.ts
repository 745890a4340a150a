import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than cores: a single worker on the 2-core machines this runs on.
    // Most test files wait on PostgreSQL, PGlite or child processes, so two overlap well: on 2026-12-06 the
    // PostgreSQL suite took 4.3 min with two workers (about 11 min with one), the PGlite suite 6.8 min (11–15).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
