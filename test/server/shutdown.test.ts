// SIGTERM and SIGINT: stop accepting, finish what is in flight, close the database, exit 0.
import { request } from 'node:http';
import { afterAll, describe, expect, test } from 'vitest';
import { freshPlace, graphql, spawnCli, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';

const SLOW = { timeout: 120_000 };

/** Starts a POST whose body is sent in two parts: the request is in flight until `finish()`. */
function slowGraphQL(url: string, token: string, query: string) {
  const body = JSON.stringify({ query });
  const cut = Math.floor(body.length / 2);
  const req = request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
  });
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, cut));
  return { response, finish: () => req.end(body.slice(cut)) };
}

/** The admin token a fresh gateway prints in its first-start banner. */
function bannerToken(served: Serving): string {
  const admin = served.output().match(TOKEN)?.[0];
  if (!admin) throw new Error(`no admin token in the first-start banner:\n${served.output()}`);
  return admin;
}

// Each test starts from its own fresh place: the SIGTERM test is the first start there (it prints the token it
// uses), the restart test makes its own first start before restarting, so they pass in any order.
describe('graceful shutdown', SLOW, () => {
  const places: Place[] = [];
  const ownPlace = async () => {
    const place = await freshPlace();
    places.push(place);
    return place;
  };
  afterAll(async () => {
    for (const place of places) await place.cleanup();
  });

  test('SIGTERM lets an in-flight request finish, refuses new ones, and exits 0', async () => {
    const place = await ownPlace();
    const served = await startServe({ ...place.env, DEMO: 'false' });
    const token = bannerToken(served);
    const inFlight = slowGraphQL(served.url, token, '{ me { email } }');
    await new Promise((r) => setTimeout(r, 100)); // let the server receive the first half
    const exited = served.stop('SIGTERM');
    await served.printed('SIGTERM: finishing in-flight requests');
    await expect(fetch(`${served.url}/healthz`)).rejects.toThrow();
    inFlight.finish();
    expect(await inFlight.response).toEqual({ status: 200, body: { data: { me: { email: 'admin@example.com' } } } });
    expect(await exited).toBe(0);
    expect(served.output()).toContain('Stopped cleanly');
  });

  test('a restart on the same data works and keeps the data', async () => {
    const place = await ownPlace();
    const first = await startServe({ ...place.env, DEMO: 'false' });
    expect(await first.stop('SIGTERM')).toBe(0);
    const token = bannerToken(first); // read from what it printed, once it has stopped
    const served = await startServe(place.env);
    try {
      expect(served.output()).not.toMatch(TOKEN);
      expect((await fetch(`${served.url}/readyz`)).status).toBe(200);
      expect((await graphql(served.url, token, '{ me { email } }')).body).toEqual({ data: { me: { email: 'admin@example.com' } } });
    } finally {
      expect(await served.stop('SIGINT')).toBe(0);
    }
    expect(served.output()).toContain('SIGINT: finishing in-flight requests');
  });

  // On the embedded database the first start's work runs in a child process of its own process group (a Ctrl-C
  // reaches only the server, which waits for it); on PostgreSQL it runs in the server. Either way: finish, then stop.
  test('SIGINT during the first start lets it finish, prints the token, then stops cleanly', async () => {
    const place = await ownPlace();
    const child = spawnCli(['serve'], place.env);
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        output += d;
        if (output.includes('applying')) resolve(); // the line before the database work
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping as soon as the start has finished');
    expect(output).toContain('Stopped cleanly');
    const [token]: string[] = output.match(TOKEN) ?? [];
    expect(token).toBeDefined();
    const again = await startServe(place.env);
    try {
      expect(again.output()).not.toMatch(TOKEN);
      expect((await graphql(again.url, token, '{ me { email } }')).body).toEqual({ data: { me: { email: 'admin@example.com' } } });
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});
