import { AppError } from '../lib/errors';
import type { InstanceDefinition } from './instance';
import { redactValue } from './redact-instance';

const PATCH_KEYS = new Set(['id', 'name', 'tags', 'configuration']);

function invalid(path: string, message: string): AppError {
  return new AppError('invalid_instance', 'The instance patch is not valid', 400, { details: [{ path, message }] });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is what GET shows for `current` with something redacted in it: the client sent the redaction back. */
function isUnchangedRedaction(key: string, value: unknown, current: unknown): boolean {
  const shown = redactValue(key, current);
  return current !== undefined && shown !== current && JSON.stringify(shown) === JSON.stringify(value);
}

/**
 * Applies a PATCH body to a definition: `name` and `tags` replace (a null `tags` removes them),
 * `configuration` merges key by key and a null value deletes the key; a value sent back exactly as GET shows
 * the current one (a redacted secret, a URL with redacted credentials) keeps the current value. The result still has to
 * pass `parseInstance`. Throws AppError 400 `invalid_instance` for a malformed patch.
 */
export function applyInstancePatch(current: InstanceDefinition, id: string, patch: unknown): InstanceDefinition {
  if (!isObject(patch)) throw invalid('/', 'must be a JSON object');
  for (const key of Object.keys(patch)) if (!PATCH_KEYS.has(key)) throw invalid(`/${key}`, 'must NOT have additional properties');
  if (patch.id !== undefined && patch.id !== id) throw invalid('/id', 'an instance id cannot be changed');
  if (patch.configuration !== undefined && !isObject(patch.configuration)) throw invalid('/configuration', 'must be object');
  const configuration: Record<string, unknown> = { ...current.configuration };
  for (const [key, value] of Object.entries((patch.configuration ?? {}) as Record<string, unknown>)) {
    if (value === null) delete configuration[key];
    else if (!isUnchangedRedaction(key, value, configuration[key])) configuration[key] = value;
  }
  const next: InstanceDefinition = { ...current, id, configuration };
  if (patch.name !== undefined) next.name = patch.name as string;
  if (patch.tags === null) delete next.tags;
  else if (patch.tags !== undefined) next.tags = patch.tags as string[];
  return next;
}
