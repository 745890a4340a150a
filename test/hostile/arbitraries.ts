// Hostile values for the fuzz suites: the strings, numbers and JSON shapes that break naive servers.
import fc from 'fast-check';

/** Cases per property: FUZZ_RUNS in CI and by hand, a modest default so `npm test` stays quick. */
export const RUNS = Number(process.env.FUZZ_RUNS) || 200;

const LONG = 'n'.repeat(10_000);

export const SPECIALS = [
  '',
  ' ',
  "'",
  '"',
  "' OR '1'='1",
  '\'; DROP TABLE "Relation"; --',
  '1; SELECT pg_sleep(10)',
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\uFEFF',
  '\u202E',
  '😀',
  'Ω≈ç√',
  '..',
  '../',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%2e%2e%2f',
  '.%2e/',
  '\\..\\..\\',
  '/',
  '//',
  '?',
  '#',
  '&',
  '=',
  ';',
  '+',
  '*',
  '\\',
  '\r\n',
  '\t',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-1',
  '-0',
  '0',
  '00',
  '+1',
  '1e400',
  '0x10',
  '1.5',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '99999999999999999999999999999999',
  'current',
  'favourite',
  'watch',
  'Favourite',
  'FAVOURITE',
  'favourit\u0435',
  'ｆａｖｏｕｒｉｔｅ',
  ' favourite',
  'favourite ',
  'fav\u200bourite',
  '\u202ewatch',
  'w\u0430tch',
  'cafe\u0301',
  'USER',
  'CONTENT',
  'SPACE',
  'user',
  'content',
  'space',
  'parent',
  'child',
  'type',
  LONG,
  `${LONG}'`,
  '\u0000'.repeat(100),
];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SPECIALS), fc.constantFrom(...SPECIALS)).map(([a, b]) => a + b) },
);

/** Any JSON-ish value with hostile leaves, a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(null, true, false, 0, -1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-300),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON that is deep or large in one dimension: nesting, length, key count. */
export const monsterJson: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 100, max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 20_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => JSON.stringify(Array(n).fill('x'))),
  fc.constant(JSON.stringify({ title: LONG, name: LONG, key: LONG, relationTypeAlias: LONG, comment: LONG.repeat(10) })),
);

/** Puts a value into a URL: percent-encoded (well-formed or not), or raw so that ../, %2e%2e and %zz reach the URL parser. */
export const inUrl = (value: string, raw: boolean): string => {
  if (raw) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    return escape(value); // lone surrogates: %uD800, itself invalid percent-encoding
  }
};

/** Letters TR39's confusables table reads as Latin ones, to build lookalikes of the reserved names. */
const CONFUSABLE: Record<string, string[]> = {
  a: ['\u0430', '\u0251', '\u03b1'],
  c: ['\u0441', '\u03f2', '\u217d'],
  e: ['\u0435', '\u04bd'],
  f: ['\u017f'],
  h: ['\u04bb', '\u0570'],
  i: ['\u0456', '\u0131', '\u2170', '\u0269'],
  o: ['\u043e', '\u03bf', '\u0585', '0'],
  r: ['\u0433', '\u1d26'],
  u: ['\u057d', '\u028b'],
  v: ['\u03bd', '\u0475', '\u2174'],
  w: ['\u0461', '\u051d', '\u1d21', '\u026f'],
};
const shifted = (ch: string, base: number) => String.fromCodePoint(ch.codePointAt(0)! - 0x61 + base);

/** A reserved name with each letter kept, capitalised, fullwidth, mathematical bold or swapped for a confusable; never the name itself. */
export const lookalikeName: fc.Arbitrary<string> = fc.constantFrom('favourite', 'watch').chain((name) =>
  fc
    .tuple(...[...name].map((ch) => fc.constantFrom(ch, ch.toUpperCase(), shifted(ch, 0xff41), shifted(ch, 0x1d41a), ...(CONFUSABLE[ch] ?? []))))
    .map((letters) => letters.join(''))
    .filter((lookalike) => lookalike !== name),
);

const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u202e', '\u2066', '\u061c', '\u180e', '\u{e0041}', '\u2028'];
const SPACES = [' ', '\u00a0', '\u3000', '\u2003', '\t'];

/** A name that breaks one text rule: an invisible character inside, whitespace around, or not in NFC. */
export const malformedName: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('likes', 'favourite', 'related', 'my relation'), fc.nat(12), fc.constantFrom(...INVISIBLE))
    .map(([name, at, mark]) => name.slice(0, at) + mark + name.slice(at)),
  fc
    .tuple(fc.constantFrom('likes', 'favourite', 'watch'), fc.constantFrom(...SPACES), fc.boolean())
    .map(([name, space, before]) => (before ? space + name : name + space)),
  fc.constantFrom('cafe\u0301', 'A\u030a', 'n\u0303o', '\u1100\u1161'),
);

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=zzz',
  'application/graphql',
  'application/graphql-response+json',
  '*/*',
  ';;;',
  'application/json;;',
  'x'.repeat(1000),
];

/** Accept headers a GraphQL client sends (none, JSON, the GraphQL response type, SSE, multipart): each has an answer. */
export const GRAPHQL_ACCEPTS = [undefined, 'application/json', 'application/graphql-response+json', 'text/event-stream', 'multipart/mixed', '*/*'];

/** The content types a plain HTML form or a no-cors fetch can send, in the spellings a browser may use. */
export const FORM_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=UTF-8',
  'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW',
  'text/plain',
  'text/plain;charset=UTF-8',
  'Text/Plain',
  'TEXT/PLAIN; charset=utf-8',
];

/** A header value a client can send (no NUL, CR or LF; one byte per character). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic', 'Basic !!!', 'Basic Og==', 'Bearer rg_', `Bearer rg_${'a'.repeat(300)}`, 'rg_x', "' OR 1=1 --", 'x'.repeat(8000)),
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 40,
  }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
);

export const HEADER_NAMES = [
  'authorization',
  'api-key',
  'content-type',
  'accept',
  'x-atlassian-token',
  'api-version',
  'umb-project-alias',
  'graphql-require-preflight',
  'x-forwarded-for',
  'cookie',
  'content-encoding',
  'transfer-encoding',
  'range',
  'if-none-match',
];
