import crypto from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { InstanceRegistry } from '../../src/instances/instance-registry';
import { encodeInstance } from '../../src/instances/instance-record';
import { InstanceStore } from '../../src/instances/instance-store';
import type { InstanceSync } from '../../src/instances/instance-sync';
import { parseInstance } from '../../src/instances/parse-instance';
import { connectRedis } from '../../src/lib/redis-connections';
import { PrivateRedis, uniquePrefix } from '../helpers/redis-server';
import { newSecret } from '../helpers/webhook-signing';
import { instanceBody } from './ops-gateway';

describe('instance sync after a lost connection', () => {
  const key = crypto.randomBytes(32);
  const prefix = uniquePrefix('sync');
  let redis: PrivateRedis;
  let sync: InstanceSync | undefined;
  const registry = new InstanceRegistry();

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });

  afterAll(async () => {
    await sync?.close();
    await redis.stop();
  });

  it('when the subscriber reconnects, then the registry is reloaded from the store, catching changes it missed', async () => {
    const producer = connectRedis({ url: redis.url }, 'producer');
    const store = new InstanceStore({ redis: producer, target: { url: redis.url }, prefix, encryptionKey: key });
    sync = await store.startSync(registry);
    const created = once(registry, 'change');
    await store.create(instanceBody('Before', { 'webhook.secret': newSecret() }));
    await created;
    expect(registry.get('before')).toBeDefined();

    // Atomically: drop the subscriber's connection, then change the store without any notice.
    const direct = new Redis(redis.url);
    const seen = new Set<string>();
    const both = new Promise<void>((resolve) =>
      registry.on('change', (id: string) => {
        seen.add(id);
        if (seen.has('after') && seen.has('before')) resolve();
      }),
    );
    const after = encodeInstance(key, parseInstance({ ...instanceBody('After', { 'webhook.secret': newSecret() }), id: 'after' }));
    await direct.multi().call('CLIENT', 'KILL', 'TYPE', 'pubsub').hset(`${prefix}:instances`, 'after', after).hdel(`${prefix}:instances`, 'before').exec();
    await both;
    expect(registry.get('after')?.name).toBe('After');
    expect(registry.get('before')).toBeUndefined();
    direct.disconnect();
    producer.disconnect();
  });
});
