// A taken port stops the start before the first-start admin exists, so no token is printed and lost.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshPlace, runCli, startServe, TOKEN, type Place } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

describe('a port already in use', SLOW, () => {
  let place: Place;
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    place = await freshPlace();
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  }, SLOW.timeout);
  afterAll(async () => {
    await new Promise((resolve) => taken?.close(resolve));
    await place?.cleanup();
  });

  test('fails with a clear message before any admin is created', async () => {
    const start = startServe({ ...place.env, PORT: String(port) });
    const failure = await start.then(
      () => expect.unreachable('serve started on a taken port'),
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/serve exited with 1 before listening/);
    expect(failure).toContain(`Port ${port} on 127.0.0.1 is already in use; set PORT to another port`);
    expect(failure).not.toMatch(TOKEN);
    expect(failure).not.toContain('Created the site admin');

    // Had the failed start created the admin, seeding would find users and print no token.
    const seeded = await runCli(['seed', '--demo'], place.env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('Created the site admin admin@example.com');
  });
});
