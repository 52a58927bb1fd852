import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../lib/schemas';

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  $defs?: Record<string, SchemaNode>;
  $ref?: string;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'instance.schema.json'), 'utf8')) as SchemaNode;
const keysOf = (node: SchemaNode | undefined): readonly string[] => Object.freeze(Object.keys(node?.properties ?? {}));
const pollerResource = schema.$defs?.pollerResource;

/**
 * The keys that mean something here, read from schemas/instance.schema.json — so a key added to the schema
 * is known at once, with nothing else to keep in step.
 */
export const KNOWN_KEYS = Object.freeze({
  topLevel: keysOf(schema),
  configuration: keysOf(schema.properties?.configuration),
  pollerResource: keysOf(pollerResource),
  datesConfiguration: keysOf(pollerResource?.properties?.datesConfiguration),
});

/** The JSON types a schema node accepts (through `$ref`, `anyOf`, `oneOf`). */
function typesOf(node: SchemaNode | undefined): string[] {
  if (!node) return [];
  if (node.$ref) return typesOf(schema.$defs?.[node.$ref.replace('#/$defs/', '')]);
  const own = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  return [...own, ...[...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap(typesOf)];
}

function typesByKey(node: SchemaNode | undefined): Readonly<Record<string, readonly string[]>> {
  return Object.freeze(Object.fromEntries(Object.entries(node?.properties ?? {}).map(([k, v]) => [k, typesOf(v)])));
}

/** What each key of a configuration or poller resource takes, for coercing Cloud Elements' strings (`"true"`, `"15"`). */
export const KEY_TYPES = Object.freeze({
  configuration: typesByKey(schema.properties?.configuration),
  pollerResource: typesByKey(pollerResource),
});

/** Edit distance (insert, delete, replace, swap two neighbours), given up beyond `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/**
 * The known key an unknown one was most likely meant to be: the nearest by edit distance (at most a third of
 * its length, and at least 2), or a known key ending in it (`callback.url` → `event.notification.callback.url`).
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (key.length > 100) return undefined;
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase(), limit);
    if (d <= limit && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key ?? known.find((candidate) => candidate.endsWith(`.${key}`));
}
