import type { InstanceWarning, PollerResource } from '../instances/instance';
import { AppError } from '../lib/errors';
import { formatDate } from './date-format';
import { TABLE_PARENTS } from './hub-resources';
import { listOptionsFor, specsFor, type PollSpec } from './poll-spec';

const base = (name: string) => `/configuration/event.poller.configuration/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Builds a resource's specs and dry-runs every date pattern and placeholder, so a bad one is refused now, not at a poll. */
function checkedSpecs(name: string, resource: PollerResource, pullRecordBy: 'created' | 'updated'): PollSpec[] {
  try {
    const specs = specsFor(name, resource, pullRecordBy);
    for (const spec of specs) {
      formatDate(new Date(0), spec.dateFormat, spec.timeZone);
      if (spec.createdCheck) for (const d of [spec.createdCheck.created, spec.createdCheck.updated]) formatDate(new Date(0), d.format, d.timeZone);
      listOptionsFor(spec, new Date(0));
    }
    return specs;
  } catch (err) {
    if (!(err instanceof AppError) || err.httpStatus !== 400) throw err;
    const path = `${base(name)}/url`;
    throw new AppError('invalid_instance', `${path}: ${err.message}`, 400, { details: [{ path, message: `${err.code}: ${err.message}` }], cause: err });
  }
}

/** Two resources that read one table, or a table and one that extends it: the same record is seen twice. */
function overlaps(specs: PollSpec[]): InstanceWarning[] {
  const warnings: InstanceWarning[] = [];
  const byTable = new Map<string, string>();
  for (const spec of specs.filter((s) => s.kind !== 'audit-delete')) {
    const first = byTable.get(spec.table);
    if (first) {
      warnings.push({ path: base(spec.resource), message: `reads ${spec.table} like ${first}: each change is delivered once, under ${first}` });
      continue;
    }
    byTable.set(spec.table, spec.resource);
  }
  for (const [child, parent] of Object.entries(TABLE_PARENTS)) {
    const c = byTable.get(child);
    const p = byTable.get(parent);
    if (c && p) warnings.push({ path: base(c), message: `${child} extends ${parent} (read by ${p}): a change of a ${child} record arrives twice, once per table` });
  }
  return warnings;
}

function ignoredFields(name: string, resource: PollerResource): InstanceWarning[] {
  const warnings: InstanceWarning[] = [];
  if (resource.filterByUpdatedDate === false) {
    warnings.push({ path: `${base(name)}/filterByUpdatedDate`, message: 'ignored: a change already delivered is never delivered again (changes are deduplicated)' });
  }
  if (resource.filterByCurrentDate !== undefined) warnings.push({ path: `${base(name)}/filterByCurrentDate`, message: 'ignored: no effect here' });
  return warnings;
}

/**
 * Checks an instance's poller resources when the instance is created or changed (hub URLs and their CEQL
 * translated, date patterns, zones and placeholders tried), so that what cannot be polled is a 400 naming
 * the resource, never a failure at every tick. Returns what the operator should know.
 */
export function checkPollerResources(resources: Readonly<Record<string, PollerResource>>, pullRecordBy: 'created' | 'updated'): InstanceWarning[] {
  const specs = Object.entries(resources).flatMap(([name, r]) => checkedSpecs(name, r, pullRecordBy));
  return [...Object.entries(resources).flatMap(([name, r]) => ignoredFields(name, r)), ...overlaps(specs)];
}
