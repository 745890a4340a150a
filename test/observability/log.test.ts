// The log door on its own: what a line may carry. The served-process checks are in test/access/logging.test.ts.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { createLogger, type LoggerOptions, logSafe, type LogLevel } from '../../src/observability/log.js';

const TOKEN = 'rg_AbCdEfGhIjKlMnOpQrStUvWxYz012345';

/** pino's JSON lines, each as [level, message]; `raw` keeps them as written. */
function capture(level: LoggerOptions['level'] = 'debug', format: LoggerOptions['format'] = 'json') {
  const raw: string[] = [];
  const log = createLogger({ level, format, write: (line) => raw.push(line) });
  return {
    raw,
    log,
    lines: (): [LogLevel, string][] => {
      return raw.map((line) => JSON.parse(line)).map((entry) => [entry.level, entry.msg]);
    },
  };
}

describe('logSafe', () => {
  it('escapes newlines and other control characters, so input cannot start a line of its own', () => {
    const line = logSafe('key nobody\nrelation-gateway listening on http://evil\r\u0000\u001b[31m\u2028\u202e');
    expect(line).not.toMatch(/[\n\r\u0000\u001b\u2028\u202e]/);
    expect(line).toBe('key nobody\\nrelation-gateway listening on http://evil\\r\\u0000\\u001b[31m\\u2028\\u202e');
  });

  it('escapes a backslash, so an escape in the input cannot pass for one of ours', () => {
    expect(logSafe('a\\nb')).toBe('a\\\\nb');
  });

  it.each([
    [`key ${TOKEN} pasted`, 'key rg_[redacted] pasted'],
    [`Authorization: Bearer ${TOKEN.slice(3)}`, 'Authorization: [redacted] [redacted]'],
    [`Basic ${Buffer.from(`a@b.c:${TOKEN}`).toString('base64')}`, 'Basic [redacted]'],
    [`key ${Buffer.from(`a@b.c:${TOKEN}`).toString('base64')}`, 'key [redacted]'],
    [`api-key: secret-value-123`, 'api-key: [redacted]'],
    ['Authorization has been denied for this request.', 'Authorization has been denied for this request.'],
  ])('redacts what looks like a credential: %s', (input, expected) => {
    expect(logSafe(input)).toBe(expected);
  });

  it('cuts a long line and says how much was left out', () => {
    const line = logSafe('x'.repeat(5000));
    expect(line.length).toBeLessThan(2100);
    expect(line).toMatch(/… \(3000 more characters\)$/);
  });
});

describe('createLogger', () => {
  it('writes a client error by class and code only, never its message (which may quote the input)', () => {
    const { lines, log } = capture();
    log.debug('GraphQL', new NotFoundError(`No user found with key '${TOKEN}\nforged line'`));
    log.error('failed', new ValidationError('bad name \u202e', 'name'));
    expect(lines()).toEqual([
      ['debug', 'GraphQL: NotFoundError NOT_FOUND'],
      ['error', 'failed: ValidationError BAD_USER_INPUT'],
    ]);
  });

  it('writes an unexpected error with its stack on one line, redacted', () => {
    const { lines, log } = capture();
    log.error('GET /x failed', new Error(`boom with ${TOKEN}`));
    expect(lines()).toHaveLength(1);
    const [level, line] = lines()[0];
    expect(level).toBe('error');
    expect(line).toMatch(/^GET \/x failed: Error: boom with rg_\[redacted\]\\n {4}at /);
    expect(line).not.toContain('\n');
  });

  it('writes the error a GraphQLError wraps (a resolver that failed), not "a request the schema refused"', () => {
    const { lines, log } = capture();
    log.error('GraphQL', new GraphQLError('Unexpected error.', { originalError: new Error('Transaction API error') }));
    log.error('GraphQL', new GraphQLError('Cannot query field "nope" on type "Query".'));
    const [[, wrapped], [, refused]] = lines();
    expect(wrapped).toMatch(/^GraphQL: Error: Transaction API error\\n {4}at /);
    expect(refused).toBe('GraphQL: GraphQLError (a request the schema refused)');
  });

  it('drops what is below its level, and writes nothing when silent', () => {
    const info = capture('info');
    info.log.trace('hidden');
    info.log.debug('hidden');
    info.log.info('shown');
    expect(info.lines()).toEqual([['info', 'shown']]);
    const silent = capture('silent');
    silent.log.error('hidden');
    expect(silent.lines()).toEqual([]);
  });
});

describe('entries as pino writes them', () => {
  it('is one JSON object a line, with an ISO time and the level by name', () => {
    const { raw, log } = capture();
    log.info('hello');
    expect(raw).toHaveLength(1);
    expect(raw[0].endsWith('\n')).toBe(true);
    expect(raw[0].trimEnd()).not.toContain('\n');
    const entry = JSON.parse(raw[0]);
    expect(entry).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), msg: 'hello' });
  });

  it('passes the string fields of an entry through the same redaction and escaping as a message', () => {
    const { raw, log } = capture();
    log.entry('info', `GET /x 200 ${TOKEN}`, { route: `/x\nforged ${TOKEN}`, status: 200, accountId: undefined });
    const entry = JSON.parse(raw[0]);
    expect(entry).toMatchObject({ level: 'info', msg: 'GET /x 200 rg_[redacted]', route: '/x\\nforged rg_[redacted]', status: 200 });
    expect(entry).not.toHaveProperty('accountId');
    expect(raw[0]).not.toContain(TOKEN);
  });

  it('writes a readable line with LOG_FORMAT=pretty: clock, level, message, then the fields', () => {
    const { raw, log } = capture('trace', 'pretty');
    log.entry('warn', 'GET /x 429', { reqId: 'abc', face: 'confluence', ms: 1.5, note: 'two words' });
    log.trace(`deep ${TOKEN}`);
    expect(raw[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}GET \/x 429 reqId=abc face=confluence ms=1.5 note="two words"\n$/);
    expect(raw[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} TRACE deep rg_\[redacted\]\n$/);
  });
});

describe('LOG_FORMAT', () => {
  it.each([
    [{}, undefined],
    [{ LOG_FORMAT: 'json' }, 'json'],
    [{ LOG_FORMAT: 'pretty' }, 'pretty'],
    [{ LOG_FORMAT: '' }, undefined],
  ])('%j gives %s (unset: pretty on a terminal, json otherwise)', (env, format) => {
    expect(loadConfig(env).logFormat).toBe(format);
  });

  it('refuses another value, naming the two', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(new ConfigError('LOG_FORMAT must be json or pretty'));
  });
});
