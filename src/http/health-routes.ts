import { Router } from 'express';

/** One readiness check: `critical` checks failing make /readyz answer 503; others only report `degraded`. */
export interface HealthCheck {
  name: string;
  critical: boolean;
  run(): Promise<{ status: 'ok' | 'degraded' | 'down'; [detail: string]: unknown }>;
}

/** Runs every check with a timeout; a check that throws or hangs counts as down. */
export async function runChecks(checks: readonly HealthCheck[], timeoutMs = 1500) {
  const results = await Promise.all(
    checks.map(async (check) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          check.run(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
          }),
        ]);
        return [check, result] as const;
      } catch (err) {
        return [check, { status: 'down' as const, error: (err as Error).message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const ready = results.every(([check, r]) => !check.critical || r.status !== 'down');
  return { ready, checks: Object.fromEntries(results.map(([check, r]) => [check.name, r])) };
}

/** `GET /healthz` (the process is alive) and `GET /readyz` (it can do its job). */
export function createHealthRoutes(checks: () => readonly HealthCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks: details } = await runChecks(checks());
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: details });
  });
  return router;
}
