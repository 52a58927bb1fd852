import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Where the JSON Schemas live: `schemas/` at the package root (beside src/ and dist/). */
export const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schemas');

/** One failing path of a validation, as the error shape's `details` carries it. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

let shared: Ajv2020 | undefined;

/** The process-wide Ajv instance with every schema of schemas/ registered (compiled lazily, once each). */
export function schemaRegistry(): Ajv2020 {
  if (shared) return shared;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')), file);
  }
  shared = ajv;
  return ajv;
}

/** Turns Ajv errors into `{path, message}` pairs, at most 20. */
export function toIssues(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).slice(0, 20).map((e) => {
    const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
    const extra = e.keyword === 'unevaluatedProperties' || e.keyword === 'additionalProperties'
      ? `/${(e.params as { unevaluatedProperty?: string; additionalProperty?: string }).unevaluatedProperty ?? (e.params as { additionalProperty?: string }).additionalProperty}`
      : '';
    return { path: (e.instancePath || '') + missing + extra || '/', message: messageOf(e) };
  });
}

/** Ajv's message, with what was allowed where Ajv leaves it out ("must be equal to one of the allowed values"). */
function messageOf(e: ErrorObject): string {
  const message = e.message ?? e.keyword;
  if (e.keyword === 'enum') return `${message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  return message;
}

/** Compiles a schema of schemas/ by file name into a validator returning a typed result. */
export function compileSchema<T>(file: string): (data: unknown) => ValidationResult<T> {
  const ajv = schemaRegistry();
  const validate = ajv.getSchema(file);
  if (!validate) throw new Error(`no schema ${file} in ${SCHEMA_DIR}`);
  return (data) => (validate(data) ? { ok: true, value: data as T } : { ok: false, errors: toIssues(validate.errors) });
}
