import path from 'node:path';
import { connectCommandRedis, findInstance, type FoundInstance } from './find-instance';
import { resolveConfig, type ResolvedConfig } from '../config/resolve-config';
import { ConfigError } from '../lib/errors';
import { closeRedis } from '../lib/redis-connections';
import { SANDBOX_INSTANCE_ID } from '../sandbox/sandbox-instance';
import { buildBusinessRuleBundle } from '../business-rules/business-rule-bundle';
import { writeScriptsDirectory } from '../business-rules/generate-scripts';

/** What `snowgate generate-scripts` was asked (parsed by the program). */
export interface GenerateScriptsArgs {
  instance?: string;
  /** Output folder, relative to the working directory. */
  out: string;
  publicUrl?: string;
}

export interface GenerateScriptsDeps {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default process.cwd(): where `out` and `.snowgate/` are. */
  cwd?: string;
  /** Where progress lines go (default console.log). */
  print?: (line: string) => void;
  /** Clock for the update set's date (default now). */
  now?: () => Date;
}

/** The instance as the gateway knows it (its extra tables shape the scripts), or undefined with a warning printed. */
async function lookUp(resolved: ResolvedConfig, id: string, print: (line: string) => void): Promise<FoundInstance | undefined> {
  const redis = await connectCommandRedis(resolved).catch((err: Error) => {
    print(`warning: ${err.message}; instances created through the admin API are not visible`);
    return undefined;
  });
  try {
    return await findInstance(resolved, id, redis);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    print(`warning: ${err.message}; generating for "${id}" with the default tables anyway`);
    return undefined;
  } finally {
    if (redis) await closeRedis(redis);
  }
}

/**
 * `snowgate generate-scripts`: writes one ES5 business-rule script per table, README.md and update-set.xml
 * for one instance into `out`. Configuration resolves as for `npm start` (see resolveConfig).
 *
 * The instance: `--instance ID`; otherwise the only instance of SNOWGATE_CONFIG; otherwise `sandbox`. It is
 * looked up where the gateway finds it (config file, admin API, sandbox) for its extra tables; an id found
 * nowhere is still generated for, with a warning. The gateway URL: `--public-url`, else SNOWGATE_PUBLIC_URL,
 * else the gateway `npm start` recorded in `.snowgate/`, else http://localhost:$PORT. Throws ConfigError for
 * bad arguments.
 */
export async function runGenerateScriptsCommand(args: GenerateScriptsArgs, deps: GenerateScriptsDeps = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const print = deps.print ?? ((line: string) => console.log(line));
  const resolved = resolveConfig({ env: { ...env, ...(args.publicUrl ? { SNOWGATE_PUBLIC_URL: args.publicUrl } : {}) }, cwd: deps.cwd });
  const { settings, configInstances } = resolved;

  let instanceId = args.instance;
  if (instanceId === undefined && configInstances.length > 1) {
    throw new ConfigError(`--instance is required: ${settings.configPath} holds ${configInstances.map((i) => i.id).join(', ')}`);
  }
  instanceId ??= configInstances[0]?.id ?? SANDBOX_INSTANCE_ID;
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(instanceId)) throw new ConfigError(`--instance "${instanceId}" is not an instance id`);
  // the sandbox's tables are the defaults: no need to ask Redis (which may not run yet)
  const isSandbox = instanceId === SANDBOX_INSTANCE_ID && !configInstances.some((i) => i.id === instanceId);
  const found = isSandbox ? undefined : await lookUp(resolved, instanceId, print);

  const outDir = path.resolve(deps.cwd ?? process.cwd(), args.out);
  const bundle = buildBusinessRuleBundle({ instanceId, publicUrl: settings.publicUrl, tables: found?.instance.webhook.tables });
  const { written, unchanged } = writeScriptsDirectory(outDir, bundle, deps.now?.() ?? new Date());
  print(`business rules for instance "${instanceId}" → ${outDir} (webhooks to ${bundle.webhookBaseUrl})`);
  for (const name of written) print(`  wrote ${name}`);
  if (unchanged.length) print(`  unchanged: ${unchanged.join(', ')}`);
  print(`  next: follow ${path.join(outDir, 'README.md')}`);
}
