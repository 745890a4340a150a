// A stopping server ends its open event streams first: they complete (clients reconnect elsewhere with
// Last-Event-ID) and the stop does not wait out the grace period for them.
import { afterAll, expect, test } from 'vitest';
import { freshPlace, startServe, TOKEN, type Place } from '../support/processes.js';
import { openSse } from '../support/sse.js';

let place: Place | undefined;
afterAll(() => place?.cleanup());

test('SIGTERM completes open subscriptions at once and exits cleanly', { timeout: 120_000 }, async () => {
  place = await freshPlace();
  const served = await startServe({ ...place.env, DEMO: 'false' });
  const token = served.output().match(TOKEN)![0];
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' };
  const body = JSON.stringify({ query: 'subscription { relationEvents { id } }' });
  const streams = await Promise.all([1, 2].map(() => openSse(`${served.url}/graphql`, { method: 'POST', headers, body })));
  expect(streams.map((s) => s.status)).toEqual([200, 200]);

  const exited = served.stop('SIGTERM');
  for (const stream of streams) {
    // Well inside the 10 s grace: a stream still open then would be cut, not completed.
    expect(await stream.next(5_000)).toMatchObject({ event: 'complete' });
    expect(await stream.next(1_000)).toBeNull();
  }
  expect(await exited).toBe(0);
  expect(served.output()).toContain('Stopped cleanly');
  expect(served.output()).not.toContain('Requests still running');
});
