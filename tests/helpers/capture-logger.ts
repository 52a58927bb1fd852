import Transport from 'winston-transport';
import { createLogger, type Logger } from '../../src/lib/logger';

/** One log entry as the logger's formats left it (secrets already redacted). */
export type LogEntry = Record<string, unknown> & { level: string; message: string };

/** A snowgate logger (same formats, same redaction) whose lines are kept in memory instead of printed. */
export function captureLogger(level = 'debug'): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const logger = createLogger(level);
  logger.clear();
  logger.add(
    new (class extends Transport {
      override log(info: LogEntry, next: () => void): void {
        entries.push(JSON.parse(JSON.stringify(info)) as LogEntry);
        next();
      }
    })({ level }),
  );
  return { logger, entries };
}
