import { AppError } from '../lib/errors';
import { compileSchema, type ValidationResult } from '../lib/schemas';
import type { ChangeOperation } from '../queues/change-job';

/** A webhook body that passed its table's schema. */
export interface ChangePayload {
  table: string;
  sys_id: string;
  operation: ChangeOperation;
  sys_updated_on: string;
  sys_mod_count: string;
  record: Record<string, string>;
}

const SCHEMA_BY_TABLE: Record<string, string> = {
  sn_customerservice_case: 'webhook-sn_customerservice_case.schema.json',
  sys_journal_field: 'webhook-sys_journal_field.schema.json',
  sys_attachment: 'webhook-sys_attachment.schema.json',
};

/** Validates webhook bodies against schemas/ (each compiled once) and checks the body's table matches the URL's. */
export class PayloadValidator {
  private readonly validators = new Map<string, (data: unknown) => ValidationResult<ChangePayload>>();

  validate(table: string, body: unknown): ChangePayload {
    const result = this.validatorFor(table)(body);
    if (!result.ok) throw new AppError('invalid_payload', `The body does not match the ${table} webhook schema`, 400, { details: result.errors });
    if (result.value.table !== table) {
      throw new AppError('invalid_payload', `The body's table does not match the URL's (${table})`, 400, {
        details: [{ path: '/table', message: `must be "${table}"` }],
      });
    }
    return result.value;
  }

  private validatorFor(table: string): (data: unknown) => ValidationResult<ChangePayload> {
    const file = SCHEMA_BY_TABLE[table] ?? 'webhook-generic.schema.json';
    let validator = this.validators.get(file);
    if (!validator) {
      validator = compileSchema<ChangePayload>(file);
      this.validators.set(file, validator);
    }
    return validator;
  }
}
