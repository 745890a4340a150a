// Builds the migrated template once per `vitest run`; test files copy it (test/support/database.ts).
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { dropTestDatabases, ensurePgliteTemplate, ensurePgTemplate } from './templates.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    testDatabasePrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    project.provide('pgliteTemplate', await ensurePgliteTemplate());
    return;
  }
  const prefix = `rg_test_${randomBytes(3).toString('hex')}_`;
  project.provide('pgTemplate', await ensurePgTemplate(base));
  project.provide('testDatabasePrefix', prefix);
  return () => dropTestDatabases(base, prefix);
}
