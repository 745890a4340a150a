// The log door on its own: what a line may carry. The served-process checks are in test/access/logging.test.ts.
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { createLogger, logSafe, type LogLevel } from '../../src/observability/log.js';

const TOKEN = 'rg_AbCdEfGhIjKlMnOpQrStUvWxYz012345';

function capture(threshold: Parameters<typeof createLogger>[0] = 'debug') {
  const lines: [LogLevel, string][] = [];
  return { lines, log: createLogger(threshold, (level, line) => lines.push([level, line])) };
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
    expect(lines).toEqual([
      ['debug', 'GraphQL: NotFoundError NOT_FOUND'],
      ['error', 'failed: ValidationError BAD_USER_INPUT'],
    ]);
  });

  it('writes an unexpected error with its stack on one line, redacted', () => {
    const { lines, log } = capture();
    log.error('GET /x failed', new Error(`boom with ${TOKEN}`));
    expect(lines).toHaveLength(1);
    const [level, line] = lines[0];
    expect(level).toBe('error');
    expect(line).toMatch(/^GET \/x failed: Error: boom with rg_\[redacted\]\\n {4}at /);
    expect(line).not.toContain('\n');
  });

  it('drops what is below its level, and writes nothing when silent', () => {
    const info = capture('info');
    info.log.debug('hidden');
    info.log.info('shown');
    expect(info.lines).toEqual([['info', 'shown']]);
    const silent = capture('silent');
    silent.log.error('hidden');
    expect(silent.lines).toEqual([]);
  });
});
