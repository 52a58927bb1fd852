import type { Logger } from './logger';

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Runs registered closers in reverse order of registration (last opened, first closed) once, on
 * SIGTERM/SIGINT or when `run` is called. A closer that throws is logged and the rest still run.
 */
export class Shutdown {
  private readonly closers: Closer[] = [];
  private running?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  add(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  run(reason = 'shutdown'): Promise<void> {
    if (!this.running) {
      this.running = (async () => {
        this.logger.info('shutting down', { reason });
        for (const closer of [...this.closers].reverse()) {
          try {
            await closer.close();
          } catch (err) {
            this.logger.warn('error while closing', { component: closer.name, err });
          }
        }
        this.logger.info('stopped');
      })();
    }
    return this.running;
  }

  /** Closes on SIGTERM / SIGINT, then exits. A second signal exits at once. */
  onSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    let signalled = false;
    const handler = (signal: NodeJS.Signals) => {
      if (signalled) return exit(1);
      signalled = true;
      void this.run(signal).then(() => exit(0));
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  }
}
