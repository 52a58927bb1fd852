import { createLogger } from '../lib/logger';
import { listenError } from '../lib/port-check';
import { SANDBOX_CLIENT, SANDBOX_USER, startSimulator, type Simulator } from './index';

/** Where `snowgate simulator` listens (parsed by the program; defaults 3100 and 127.0.0.1). */
export interface SimulatorArgs {
  port: number;
  host: string;
}

/**
 * `snowgate simulator [--port N] [--host H]`: starts the seeded simulator, prints its URL and the
 * sandbox credentials, and stops on SIGINT / SIGTERM. Resolves with the running simulator.
 */
export async function runSimulatorCli({ port, host }: SimulatorArgs): Promise<Simulator> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', { role: 'simulator' });
  const sim = await startSimulator({ port, host, logger }).catch((err: unknown) => {
    throw listenError(err, port, '--port');
  });
  const lines = [
    `ServiceNow simulator listening on ${sim.url}`,
    `  OAuth client:  ${SANDBOX_CLIENT.clientId} / ${SANDBOX_CLIENT.clientSecret}   (token: POST ${sim.url}/oauth_token.do)`,
    `  User:          ${SANDBOX_USER.username} / ${SANDBOX_USER.password}   (basic auth and password grant)`,
    `  Try:           curl -u ${SANDBOX_USER.username}:${SANDBOX_USER.password} '${sim.url}/api/now/table/sn_customerservice_case?sysparm_limit=2'`,
    `  Knobs/stats:   POST ${sim.url}/__sim/knobs, GET ${sim.url}/__sim/stats`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return sim;
}
