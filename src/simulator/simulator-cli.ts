import { createLogger } from '../lib/logger';
import { SANDBOX_CLIENT, SANDBOX_USER, startSimulator, type Simulator } from './index';

/** Default port of `snowgate simulator`. */
export const DEFAULT_SIMULATOR_PORT = 3100;

/**
 * Reads `--port N` / `--port=N`, `--host H` / `--host=H` and `--client-credentials` (turns the
 * client_credentials grant on, off by default as on a real instance). Throws on a bad port.
 */
export function parseSimulatorArgs(argv: string[]): { port: number; host: string; clientCredentials?: true } {
  let port = DEFAULT_SIMULATOR_PORT;
  let host = '127.0.0.1';
  let clientCredentials = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--client-credentials') {
      clientCredentials = true;
      continue;
    }
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[i + 1];
    if (flag === '--port' || flag === '--host') {
      if (inline === undefined) i += 1;
      if (flag === '--host' && value) host = value;
      if (flag === '--port') {
        if (!/^\d+$/.test(value ?? '') || Number(value) > 65535) throw new Error(`--port must be a number from 0 to 65535, got ${String(value)}`);
        port = Number(value);
      }
    }
  }
  return { port, host, ...(clientCredentials ? { clientCredentials: true as const } : {}) };
}

/**
 * `snowgate simulator [--port N] [--host H] [--client-credentials]`: starts the seeded simulator, prints
 * its URL and the sandbox credentials, and stops on SIGINT / SIGTERM. Resolves with the running simulator.
 */
export async function runSimulatorCli(argv: string[]): Promise<Simulator> {
  const { port, host, clientCredentials } = parseSimulatorArgs(argv);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', { role: 'simulator' });
  const sim = await startSimulator({ port, host, logger, knobs: { clientCredentialsEnabled: clientCredentials === true } });
  const lines = [
    `ServiceNow simulator listening on ${sim.url}`,
    `  OAuth client:  ${SANDBOX_CLIENT.clientId} / ${SANDBOX_CLIENT.clientSecret}   (token: POST ${sim.url}/oauth_token.do)`,
    `  client_credentials grant: ${clientCredentials ? 'on' : 'off, as on a real instance (--client-credentials turns it on)'}`,
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
