/**
 * A gateway in a child process, for tests that kill processes: reads the same environment as
 * `npm start` plus SNOWGATE_TEST_INSTANCES (a JSON array of instance definitions), prints "ready <url>".
 */
import { readEnv } from '../../src/config/env';
import { parseInstance } from '../../src/instances/parse-instance';
import { createLogger } from '../../src/lib/logger';
import { startSnowgate } from '../../src/main';

async function run(): Promise<void> {
  const settings = readEnv();
  const definitions = JSON.parse(process.env.SNOWGATE_TEST_INSTANCES ?? '[]') as unknown[];
  const snowgate = await startSnowgate({ settings, instances: definitions.map((d) => parseInstance(d)), logger: createLogger(settings.logLevel) });
  snowgate.shutdown.onSignals();
  process.stdout.write(`ready ${snowgate.http?.url ?? ''}\n`);
}

run().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
