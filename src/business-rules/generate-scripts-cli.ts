import path from 'node:path';
import { loadInstancesFile } from '../config/load-instances-file';
import { readEnv } from '../config/env';
import { ConfigError } from '../lib/errors';
import { buildBusinessRuleBundle } from './business-rule-bundle';
import { SCOPE_PATTERN } from './business-rule-specs';
import { writeScriptsDirectory } from './generate-scripts';

/** The instance id used when no instance is configured (the sandbox's). */
export const SANDBOX_INSTANCE_ID = 'sandbox';
/** Where the scripts go by default, relative to the working directory. */
export const DEFAULT_OUT_DIR = 'servicenow-scripts';

export interface GenerateScriptsCliDeps {
  /** Default process.env: SNOWGATE_PUBLIC_URL, PORT and SNOWGATE_CONFIG are read. */
  env?: NodeJS.ProcessEnv;
  /** Default process.cwd(). */
  cwd?: string;
  /** Where progress lines go (default console.log). */
  print?: (line: string) => void;
  /** Clock for the update set's date (default now). */
  now?: () => Date;
}

interface Args {
  instance?: string;
  out?: string;
  publicUrl?: string;
  scope?: string;
}

const USAGE = 'usage: snowgate generate-scripts [--instance ID] [--out DIR] [--public-url URL] [--scope x_SCOPE]';

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  const keys: Record<string, keyof Args> = { '--instance': 'instance', '--out': 'out', '--public-url': 'publicUrl', '--scope': 'scope' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const key = keys[flag];
    if (!key) throw new ConfigError(`unknown option "${argv[i]}". ${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new ConfigError(`${flag} needs a value. ${USAGE}`);
    }
    args[key] = value;
  }
  return args;
}

/**
 * `snowgate generate-scripts`: writes one ES5 business-rule script per table, README.md,
 * update-set.xml and the ServiceNow SDK app (`fluent-app/`) for one instance into `--out` (default
 * servicenow-scripts/). `--scope x_…` generates for a scoped application instead of the global scope.
 *
 * The instance: `--instance ID`; otherwise the only instance of SNOWGATE_CONFIG; otherwise `sandbox`.
 * An id not in the config file is still generated for (instances may live in the admin API's store),
 * with a warning. The gateway URL: `--public-url`, else SNOWGATE_PUBLIC_URL (default
 * http://localhost:$PORT). Returns the exit code; throws ConfigError for bad arguments.
 */
export function runGenerateScriptsCli(argv: string[], deps: GenerateScriptsCliDeps = {}): number {
  const env = deps.env ?? process.env;
  const print = deps.print ?? ((line: string) => console.log(line));
  const args = parseArgs(argv);
  const settings = readEnv({ ...env, ...(args.publicUrl ? { SNOWGATE_PUBLIC_URL: args.publicUrl } : {}) });
  const instances = settings.configPath ? loadInstancesFile(settings.configPath) : [];

  let instanceId = args.instance;
  if (instanceId === undefined && instances.length > 1) {
    throw new ConfigError(`--instance is required: ${settings.configPath} holds ${instances.map((i) => i.id).join(', ')}`);
  }
  instanceId ??= instances[0]?.id ?? SANDBOX_INSTANCE_ID;
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(instanceId)) throw new ConfigError(`--instance "${instanceId}" is not an instance id`);
  const instance = instances.find((i) => i.id === instanceId);
  if (instances.length > 0 && !instance) print(`warning: instance "${instanceId}" is not in ${settings.configPath}; generating for it anyway`);

  if (args.scope !== undefined && !SCOPE_PATTERN.test(args.scope)) throw new ConfigError(`--scope "${args.scope}" is not a scope name (x_ then a-z, 0-9, _; 18 characters at most)`);
  const outDir = path.resolve(deps.cwd ?? process.cwd(), args.out ?? DEFAULT_OUT_DIR);
  const bundle = buildBusinessRuleBundle({ instanceId, publicUrl: settings.publicUrl, tables: instance?.webhook.tables, scope: args.scope });
  const { written, unchanged } = writeScriptsDirectory(outDir, bundle, deps.now?.() ?? new Date());
  print(`business rules for instance "${instanceId}" → ${outDir} (webhooks to ${bundle.webhookBaseUrl})`);
  for (const name of written) print(`  wrote ${name}`);
  if (unchanged.length) print(`  unchanged: ${unchanged.join(', ')}`);
  print(`  next: follow ${path.join(outDir, 'README.md')}`);
  return 0;
}
