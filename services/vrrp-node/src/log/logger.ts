// One line per event, readable by a person (keepalived-like) or, with --log-format json, by a machine.
// Loggers never see secrets: callers pass facts, and `redact` below guards the one we know of.

export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEYS = new Set(['authPass', 'auth_pass', 'password', 'pass', 'token', 'secret']);

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.has(k) ? '[redacted]' : v;
  return out;
}

export function createLogger(options: {
  format: LogFormat;
  write?: (line: string) => void;
  now?: () => Date;
  debug?: boolean;
}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    if (level === 'debug' && options.debug !== true) return;
    const safe = redact(fields);
    if (options.format === 'json') {
      write(JSON.stringify({ time: now().toISOString(), level, msg, ...safe }));
      return;
    }
    const extra = Object.entries(safe)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`)
      .join(' ');
    write(`${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ' ' + extra : ''}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
