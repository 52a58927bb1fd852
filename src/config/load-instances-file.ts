import fs from 'node:fs';
import { AppError, ConfigError } from '../lib/errors';
import type { Instance } from '../instances/instance';
import { parseInstance } from '../instances/parse-instance';

/**
 * Reads SNOWGATE_CONFIG (`{"instances": [...]}`) and parses every instance.
 * Throws ConfigError naming the file and the failing key.
 */
export function loadInstancesFile(path: string): Instance[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`SNOWGATE_CONFIG: cannot read ${path} as JSON: ${(err as Error).message}`);
  }
  const list = (raw as { instances?: unknown })?.instances;
  if (!Array.isArray(list)) throw new ConfigError(`SNOWGATE_CONFIG: ${path} must hold {"instances": [ ... ]}`);
  const seen = new Set<string>();
  return list.map((entry, i) => {
    let instance: Instance;
    try {
      instance = parseInstance(entry);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const detail = (err.options.details as { path: string; message: string }[] | undefined)
        ?.map((d) => `instances[${i}]${d.path.replace(/\//g, '.').replace(/^\./, '.')} ${d.message}`)
        .join('; ');
      throw new ConfigError(`SNOWGATE_CONFIG: ${path}: ${detail ?? err.message}`);
    }
    if (seen.has(instance.id)) throw new ConfigError(`SNOWGATE_CONFIG: ${path}: instances[${i}].id "${instance.id}" is used twice`);
    seen.add(instance.id);
    return instance;
  });
}
