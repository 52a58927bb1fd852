import { Redis } from 'ioredis';
import { ChangeClaims } from '../../src/queues/change-claims';
import { forgetSandboxHistory } from '../../src/sandbox/forget-sandbox-history';
import { SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis-server';
import { deleteKeys } from '../helpers/test-gateway';

describe('forgetSandboxHistory', () => {
  const prefix = uniquePrefix('sandbox');
  const redis = new Redis(SHARED_REDIS_URL);
  afterAll(async () => {
    await deleteKeys(SHARED_REDIS_URL, `${prefix}*`);
    redis.disconnect();
  });

  it('when the sandbox restarts, then its remembered changes are forgotten and no other instance loses anything', async () => {
    const claims = new ChangeClaims(redis, prefix);
    const claimOf = (instanceId: string) => claims.key({ instanceId, table: 'sn_customerservice_case', sysId: 'a'.repeat(32), operation: 'update', sysModCount: '1' });
    const sandboxKeys = [
      claimOf('sandbox'),
      `${prefix}:state:{sandbox:sn_customerservice_case:${'a'.repeat(32)}}`,
      `${prefix}:lane:{sandbox:sn_customerservice_case:${'a'.repeat(32)}}`,
      `${prefix}:tokens:sandbox`,
      `${prefix}:poller:watermarks:sandbox`,
    ];
    const otherKeys = [
      claimOf('my-sandbox'),
      `${prefix}:state:{acme:sn_customerservice_case:${'a'.repeat(32)}}`,
      `${prefix}:tokens:sandbox-prod`,
      `${prefix}:ingest:${'b'.repeat(8)}`,
    ];
    for (const key of [...sandboxKeys, ...otherKeys]) await redis.set(key, '1');
    expect(await forgetSandboxHistory(redis, prefix)).toBe(sandboxKeys.length);
    for (const key of sandboxKeys) expect(await redis.exists(key)).toBe(0);
    for (const key of otherKeys) expect(await redis.exists(key)).toBe(1);
  });
});
