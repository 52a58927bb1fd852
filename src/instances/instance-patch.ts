import { AppError } from '../lib/errors';
import type { InstanceDefinition } from './instance';
import { didYouMean } from './known-keys';
import { redactValue } from './redact-instance';

const PATCH_KEYS = ['id', 'name', 'tags', 'configuration', 'actions'];

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

/** `base` with the patch's keys set (unless `keepsCurrent` says the value sent stands for the current one), and those whose value is null deleted. */
function merged(base: Record<string, unknown>, patch: unknown, keepsCurrent: (key: string, value: unknown, current: unknown) => boolean = () => false): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries((patch ?? {}) as Record<string, unknown>)) {
    if (value === null) delete out[key];
    else if (!keepsCurrent(key, value, out[key])) out[key] = value;
  }
  return out;
}

/**
 * Applies a PATCH body to a definition: `name` and `tags` replace (a null `tags` removes them),
 * `configuration` and `actions` merge key by key (an action is replaced whole) and a null value deletes the key;
 * a configuration value sent back exactly as GET shows the current one (a redacted secret, a URL with redacted
 * credentials) keeps the current value. The result still has to
 * pass `parseInstance`. Throws AppError 400 `invalid_instance` for a malformed patch.
 */
export function applyInstancePatch(current: InstanceDefinition, id: string, patch: unknown): InstanceDefinition {
  if (!isObject(patch)) throw invalid('/', 'must be a JSON object');
  for (const key of Object.keys(patch)) {
    if (PATCH_KEYS.includes(key)) continue;
    const guess = didYouMean(key, PATCH_KEYS);
    throw invalid(`/${key}`, guess ? `unknown key "${key}"; did you mean "${guess}"?` : 'must NOT have additional properties');
  }
  if (patch.id !== undefined && patch.id !== id) throw invalid('/id', 'an instance id cannot be changed');
  if (patch.configuration !== undefined && !isObject(patch.configuration)) throw invalid('/configuration', 'must be object');
  if (patch.actions !== undefined && !isObject(patch.actions)) throw invalid('/actions', 'must be object');
  const configuration = merged(current.configuration, patch.configuration, isUnchangedRedaction);
  const next: InstanceDefinition = { ...current, id, configuration };
  if (patch.actions !== undefined) next.actions = merged(current.actions ?? {}, patch.actions) as InstanceDefinition['actions'];
  if (patch.name !== undefined) next.name = patch.name as string;
  if (patch.tags === null) delete next.tags;
  else if (patch.tags !== undefined) next.tags = patch.tags as string[];
  return next;
}
