#!/usr/bin/env node
import { ConfigError } from './lib/errors';

const USAGE = `snowgate — ServiceNow webhook ingestion gateway

Usage:
  snowgate start                                   run the gateway (npm start)
  snowgate simulator [--port N] [--host H] [--client-credentials]
                                                   run the ServiceNow simulator alone
  snowgate generate-scripts [--instance ID] [--out DIR]
                                                   write the business-rule scripts (default servicenow-scripts/)
  snowgate backfill --instance ID --since "yyyy-MM-dd HH:mm:ss"
                                                   poll history into events, with a progress bar
`;

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv;
  switch (command) {
    case 'start':
      await (await import('./commands/start-command')).runStartCommand();
      return;
    case 'simulator':
      await (await import('./simulator/simulator-cli')).runSimulatorCli(rest);
      return;
    case 'generate-scripts':
      process.exitCode = (await import('./business-rules/generate-scripts-cli')).runGenerateScriptsCli(rest);
      return;
    case 'backfill':
      await (await import('./commands/backfill-command')).runBackfillCommand(rest);
      return;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`snowgate: ${err.message}\n`);
  else process.stderr.write(`snowgate: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
