import { classifyAddress, resolveTarget, SsrfBlockedError } from '../../src/events/ssrf-guard';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['[::1]', 'loopback'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each(['8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );
});

describe('resolveTarget', () => {
  const resolver = (answers: string[]) => async () => answers.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));

  it('when every address is public, then it returns them for pinning', async () => {
    await expect(resolveTarget('hooks.example.com', false, resolver(['93.184.216.34']))).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('when any address is private (a rebinding-style answer), then it refuses with ssrf_blocked', async () => {
    const refused = resolveTarget('evil.example.com', false, resolver(['93.184.216.34', '169.254.169.254']));
    await expect(refused).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(refused).rejects.toMatchObject({ reason: 'ssrf_blocked', blocked: [{ address: '169.254.169.254', range: 'link_local' }] });
  });

  it('when the host is an IP literal, then no DNS is asked and the literal is judged', async () => {
    const never = async () => {
      throw new Error('no DNS expected');
    };
    await expect(resolveTarget('127.0.0.1', false, never)).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(resolveTarget('[::1]', false, never)).rejects.toBeInstanceOf(SsrfBlockedError);
  });

  it('when localhost is resolved by the system, then it is refused', async () => {
    await expect(resolveTarget('localhost', false)).rejects.toBeInstanceOf(SsrfBlockedError);
  });

  it('when private targets are allowed, then private addresses pass', async () => {
    await expect(resolveTarget('127.0.0.1', true)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
