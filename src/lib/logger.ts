import winston from 'winston';

/** Keys whose values never reach a log line, matched case-insensitively anywhere in a logged object. */
const SECRET_KEY = /(secret|password|token|authorization|signature|api\.key|api\.secret|cookie|code_verifier|refresh)/i;

/** Replaces secret-looking values with "[redacted]", walking nested objects and arrays. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'boolean' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    const v = (info as Record<string, unknown>)[key];
    (info as Record<string, unknown>)[key] = SECRET_KEY.test(key) && v !== undefined && v !== null ? '[redacted]' : redact(v);
  }
  return info;
});

export type Logger = winston.Logger;

/** A JSON logger on stdout; secrets are redacted from every field. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', defaultMeta: Record<string, unknown> = {}): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service: 'snowgate', ...defaultMeta },
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ silent: level === 'silent' })],
  });
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = createLogger('silent');
