import type { Instance, InstanceDefinition } from './instance';
import { openActionSecrets, sealActionSecrets } from './action-secrets';
import { openSecrets, sealSecrets } from './instance-secrets';
import { parseInstance } from './parse-instance';

/** What one hash field of the instance store holds: the definition without secrets, plus their ciphertext. */
interface StoredRecord {
  v: 1;
  definition: InstanceDefinition;
  /** AES-256-GCM ciphertext (lib/encryption) of `{secretKey: value}`; absent when there is no secret. */
  secrets?: string;
  /** The same for the actions' `auth` values. */
  actionSecrets?: string;
  updatedAt: number;
}

/** Serializes an instance for Redis with its secret values encrypted under `key`. */
export function encodeInstance(key: Buffer, instance: Instance): string {
  const { configuration, actions, ...rest } = instance.definition;
  const sealed = sealSecrets(key, configuration);
  const sealedActions = sealActionSecrets(key, actions);
  const definition: InstanceDefinition = { ...rest, id: instance.id, configuration: sealed.configuration, ...(sealedActions.actions ? { actions: sealedActions.actions } : {}) };
  const record: StoredRecord = { v: 1, definition, ...(sealed.secrets ? { secrets: sealed.secrets } : {}), ...(sealedActions.secrets ? { actionSecrets: sealedActions.secrets } : {}), updatedAt: Date.now() };
  return JSON.stringify(record);
}

/** Decrypts and re-parses a stored instance. Throws when the key is wrong, the data tampered or the definition invalid. */
export function decodeInstance(key: Buffer, stored: string): Instance {
  const record = JSON.parse(stored) as StoredRecord;
  const configuration = openSecrets(key, record.definition.configuration, record.secrets);
  const actions = openActionSecrets(key, record.definition.actions, record.actionSecrets);
  return parseInstance({ ...record.definition, configuration, ...(actions ? { actions } : {}) });
}
