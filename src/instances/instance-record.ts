import type { Instance, InstanceDefinition } from './instance';
import { openSecrets, sealSecrets } from './instance-secrets';
import { parseInstance } from './parse-instance';

/** What one hash field of the instance store holds: the definition without secrets, plus their ciphertext. */
interface StoredRecord {
  v: 1;
  definition: InstanceDefinition;
  /** AES-256-GCM ciphertext (lib/encryption) of `{secretKey: value}`; absent when there is no secret. */
  secrets?: string;
  updatedAt: number;
}

/** Serializes an instance for Redis with its secret values encrypted under `key`. */
export function encodeInstance(key: Buffer, instance: Instance): string {
  const { configuration, ...rest } = instance.definition;
  const sealed = sealSecrets(key, configuration);
  const definition: InstanceDefinition = { ...rest, id: instance.id, configuration: sealed.configuration };
  const record: StoredRecord = { v: 1, definition, ...(sealed.secrets ? { secrets: sealed.secrets } : {}), updatedAt: Date.now() };
  return JSON.stringify(record);
}

/** Decrypts and re-parses a stored instance. Throws when the key is wrong, the data tampered or the definition invalid. */
export function decodeInstance(key: Buffer, stored: string): Instance {
  const record = JSON.parse(stored) as StoredRecord;
  const configuration = openSecrets(key, record.definition.configuration, record.secrets);
  return parseInstance({ ...record.definition, configuration });
}
