// LOG_FORMAT=pretty: pino's JSON line turned into one line for people. The text inside was made safe by log.ts;
// JSON.parse only undoes pino's own escaping.

const LABEL: Record<string, string> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL' };

export interface PrettyLine {
  level: string;
  line: string;
}

export function prettyLine(json: string): PrettyLine {
  const { time, level, msg, ...fields } = JSON.parse(json) as Record<string, string | number>;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const rest = Object.entries(fields).map(([key, value]) => ` ${key}=${typeof value === 'string' && /[\s"=]/.test(value) ? JSON.stringify(value) : value}`);
  return { level: String(level), line: `${clock} ${LABEL[level] ?? level} ${msg ?? ''}${rest.join('')}\n` };
}
