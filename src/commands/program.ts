import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SCOPE_PATTERN } from '../business-rules/business-rule-specs';
import { DEFAULT_SIMULATOR_PORT } from '../config/env';
import { MAX_PARTITIONS } from '../queues/partition-layout';
import { AppError, ConfigError } from '../lib/errors';
import { parseDate } from '../poller/date-format';

/** Where `generate-scripts` writes by default, relative to the working directory. */
export const DEFAULT_SCRIPTS_DIR = 'servicenow-scripts';

/** Where the CLI writes (tests capture both). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const STD_OUTPUT: CliOutput = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

/** Exit codes: 0 done, 1 the command failed (a config or runtime problem, said in one line), 2 a usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const START_ENVIRONMENT = `
Environment (all optional; see README "Environment"):
  PORT, HOST                 HTTP listener (default 3000, 0.0.0.0)
  REDIS_URL                  default redis://127.0.0.1:6379; unset and nothing answering: a private redis-server, data in .snowgate/redis
  SNOWGATE_CONFIG            JSON file {"instances": [...]}
  SNOWGATE_ADMIN_TOKEN       default: generated once, kept in .snowgate/admin-token
  SNOWGATE_ENCRYPTION_KEY    default: generated once, kept in .snowgate/encryption-key
  SNOWGATE_PUBLIC_URL        default http://localhost:$PORT
  SNOWGATE_SANDBOX           default: on only when no instance exists (no SNOWGATE_CONFIG, none stored in Redis, SNOWGATE_ROLE=all)
  SNOWGATE_SIMULATOR_PORT    the sandbox's ServiceNow simulator (default ${DEFAULT_SIMULATOR_PORT})
  SNOWGATE_ROLE              all | api | worker | scheduler (default all)
  SNOWGATE_PARTITIONS        partitions of the queues, each under its own Redis hash tag (default 1; see snowgate partitions)
  SNOWGATE_REDIS_WAIT_REPLICAS  replicas that must hold an accepted change before its 202 (default 0)
  LOG_LEVEL                  error | warn | info | debug | silent (default info)
`;

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
    return Number(value);
  };
}

/** `--since`: `yyyy-MM-dd HH:mm:ss` in GMT (or an ISO 8601 date-time). */
export function parseSince(value: string): Date | undefined {
  const since = parseDate(value) ?? (/^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : undefined);
  return since && !Number.isNaN(since.getTime()) ? since : undefined;
}

function scopeArgument(value: string): string {
  if (!SCOPE_PATTERN.test(value)) throw new InvalidArgumentError('expected a scope name: x_ then a-z, 0-9 or _, 18 characters at most (e.g. x_acme_snowgate).');
  return value;
}

function sinceArgument(value: string): Date {
  const since = parseSince(value);
  if (!since) throw new InvalidArgumentError('expected "yyyy-MM-dd HH:mm:ss" (GMT), e.g. "2026-01-31 00:00:00".');
  return since;
}

/**
 * The `snowgate` command line (commander): every command and subcommand answers `--help` / `-h` with its
 * usage, options and defaults; an unknown option or argument is a usage error. The actions load their
 * modules only when run, so `--help` starts nothing.
 */
export function buildProgram(output: CliOutput = STD_OUTPUT): Command {
  const program = new Command('snowgate')
    .description('ServiceNow webhook ingestion gateway: verified, validated, durably queued, enriched and delivered as signed CloudEvents')
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .showHelpAfterError('(add --help for usage)');

  program
    .command('start')
    .description('run the gateway (what npm start runs); with no instance configured, the sandbox too')
    .addHelpText('after', START_ENVIRONMENT)
    .action(async () => {
      await (await import('./start-command')).runStartCommand();
    });

  program
    .command('simulator')
    .description('run the ServiceNow simulator alone: client sandbox-client / sandbox-secret, user admin / admin')
    .addOption(new Option('--port <n>', 'port to listen on (0 = any free port)').default(DEFAULT_SIMULATOR_PORT).argParser(integer('--port', 0, 65535)))
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--client-credentials', 'turn the client_credentials grant on (off by default, as on a real instance)', false)
    .action(async (opts: { port: number; host: string; clientCredentials: boolean }) => {
      await (await import('../simulator/simulator-cli')).runSimulatorCli(opts);
    });

  program
    .command('generate-scripts')
    .description('write the business-rule scripts, install README, update set and ServiceNow SDK app for one instance')
    .option('--instance <id>', 'the instance (default: the only one of SNOWGATE_CONFIG, else "sandbox")')
    .option('--out <dir>', 'output folder', DEFAULT_SCRIPTS_DIR)
    .option('--public-url <url>', 'where ServiceNow reaches the gateway (default: SNOWGATE_PUBLIC_URL, else the gateway npm start recorded in .snowgate/, else http://localhost:$PORT)')
    .addOption(new Option('--scope <x_scope>', 'generate for this scoped application instead of the global scope (all rules async, no update set)').argParser(scopeArgument))
    .action(async (opts: { instance?: string; out: string; publicUrl?: string; scope?: string }) => {
      await (await import('./generate-scripts-command')).runGenerateScriptsCommand(opts);
    });

  program
    .command('backfill')
    .description('poll an instance\'s history into events (the running gateway delivers them), with a progress bar and a resumable cursor')
    .requiredOption('--instance <id>', 'the instance (config file, admin API, or "sandbox" while the sandbox runs)')
    .addOption(new Option('--since <time>', 'changes from this GMT time on, "yyyy-MM-dd HH:mm:ss"').argParser(sinceArgument).makeOptionMandatory())
    .addOption(new Option('--page-size <n>', 'rows per request').default(500).argParser(integer('--page-size', 1, 10_000)))
    .action(async (opts: { instance: string; since: Date; pageSize: number }) => {
      await (await import('./backfill-command')).runBackfillCommand({ instanceId: opts.instance, since: opts.since, pageSize: opts.pageSize });
    });

  program
    .command('partitions')
    .description("show the deployment's partitions (prefix, cluster slot, jobs), a change of the count in progress and the processes connected; change the count")
    .addOption(new Option('--set <n>', 'start changing the partition count to n (see README "Changing the partition count")').argParser(integer('--set', 1, MAX_PARTITIONS)).conflicts('finish'))
    .option('--finish', 'end the change in progress, once the old partitions are empty')
    .action(async (opts: { set?: number; finish?: boolean }) => {
      await (await import('./partitions-command')).runPartitionsCommand(opts, { out: output.out });
    });

  return program;
}

/** One line for what the user can fix; the stack only for what is a bug. */
function report(err: unknown, output: CliOutput): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof ConfigError || err instanceof AppError) {
    output.err(`snowgate: ${err.message}\n`);
    return EXIT.failed;
  }
  output.err(`snowgate: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.failed;
}

/** Parses `argv` (without node and the script) and runs the command; resolves with the exit code once the command has started or finished. */
export async function runCli(argv: string[], output: CliOutput = STD_OUTPUT): Promise<number> {
  try {
    await buildProgram(output).parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    return report(err, output);
  }
}
