// GraphiQL in a real headless browser, on a served gateway with the demo data, with no network
// beyond 127.0.0.1: the page loads, takes a token in its Headers tab, runs the example query and
// shows the schema in its Docs explorer.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../../src/graphql/graphiql.js';
import { freshPlace, graphql, runCli, startServe, TOKEN, type Place, type Serving } from '../support/processes.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(`GraphiQL browser test skipped: no Chromium at ${CHROMIUM}. Install it with "apt-get install -y chromium" (.ci/run does) or set CHROMIUM_PATH.`);
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** An editor's text as shown: Monaco renders spaces as non-breaking ones. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the user sees, so innerText, not textContent
const shownText = async (locator: Locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

let place: Place;
let served: Serving;
let token: string;
let browser: Browser;

describe.skipIf(!available)('GraphiQL in a browser', () => {
  beforeAll(async () => {
    place = await freshPlace();
    const seeded = await runCli(['seed', '--demo'], place.env);
    token = seeded.stdout.match(TOKEN)![0];
    served = await startServe(place.env);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await place?.cleanup();
  });

  it('loads offline, runs the example query with a token and shows the schema', async () => {
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      elsewhere.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.hostname !== '127.0.0.1' && url.protocol !== 'blob:' && url.protocol !== 'data:') elsewhere.push(url.href);
    });

    await page.goto(`${served.url}/graphql`);
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor').first();
    await expect.poll(() => shownText(headers), { timeout: 60_000 }).toContain('Bearer <token>');

    // Typed as one insertion; the editor auto-closes brackets and quotes, so whatever follows the cursor goes.
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
    await page.keyboard.press('Shift+Control+End');
    await page.keyboard.press('Delete');

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-plugin');
    await expect.poll(() => shownText(docs), { timeout: 30_000 }).toContain('query: Query');

    const expected = await graphql(served.url, token, EXAMPLE_QUERY);
    expect(expected.body.data.relationsFrom.totalCount).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
    const result = page.locator('.graphiql-response');
    await expect.poll(() => shownText(result), { timeout: 30_000 }).toContain(`"totalCount": ${expected.body.data.relationsFrom.totalCount}`);
    const shown = await shownText(result);
    expect(shown).toContain('"favourite"');
    expect(shown).not.toContain('"errors"');

    expect(elsewhere).toEqual([]);
    await context.close();
  }, 180_000);
});
