#!/usr/bin/env node
// `npx relation-gateway`: runs the compiled CLI (built by `npm install` / `npm run build`).
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('relation-gateway: dist/cli.js is missing; run `npm run build` first\n');
    process.exit(1);
  }
  throw error;
}
