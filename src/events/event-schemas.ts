import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Where the event data schemas live: `schemas/events/` at the package root. */
export const EVENT_SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schemas', 'events');

/**
 * The schema file that describes the `data` of an event type: `*.deleted` → deleted, case → case,
 * comment / work note → journal-entry, attachment → attachment, anything else → record.
 */
export function eventSchemaFileFor(type: string): string {
  if (type.endsWith('.deleted')) return 'deleted.schema.json';
  const noun = type.split('.').slice(-2, -1)[0];
  switch (noun) {
    case 'case':
      return 'case.schema.json';
    case 'comment':
    case 'work_note':
      return 'journal-entry.schema.json';
    case 'attachment':
      return 'attachment.schema.json';
    default:
      return 'record.schema.json';
  }
}

let ajv: Ajv2020 | undefined;

/** An Ajv (JSON Schema 2020-12) holding every schema of schemas/events, separate from the webhook schemas. */
export function eventSchemaRegistry(): Ajv2020 {
  if (ajv) return ajv;
  const instance = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
  addFormats(instance);
  for (const file of fs.readdirSync(EVENT_SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
    instance.addSchema(JSON.parse(fs.readFileSync(path.join(EVENT_SCHEMA_DIR, file), 'utf8')), file);
  }
  ajv = instance;
  return instance;
}

/** Validates an event's `data` against the schema of its type; returns the Ajv errors, empty when valid. */
export function validateEventData(type: string, data: unknown): ErrorObject[] {
  const file = eventSchemaFileFor(type);
  const validate = eventSchemaRegistry().getSchema(file);
  if (!validate) throw new Error(`no event schema ${file} in ${EVENT_SCHEMA_DIR}`);
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
