import { classifyAddress } from '../../src/lib/address-class';

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
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.99', 'reserved'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['[::1]', 'loopback'],
    // unique local (fc00::/7), link-local (fe80::/10), site-local, multicast, documentation, discard
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['febf:ffff::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'],
    // IPv4-mapped (::ffff:0:0/96), dotted and hex
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:7F00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['[::ffff:169.254.169.254]', 'link_local'],
    // IPv4-compatible (::/96, deprecated): judged by its IPv4, refused even when that is public
    ['::127.0.0.1', 'loopback'],
    ['[::127.0.0.1]', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::a9fe:a9fe', 'link_local'],
    ['::8.8.8.8', 'reserved'],
    // IPv4-translated (::ffff:0:0:0/96)
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['[::ffff:0:127.0.0.1]', 'loopback'],
    ['::ffff:0:a00:1', 'private'],
    ['::ffff:0:8.8.8.8', 'reserved'],
    // NAT64: the well-known prefix 64:ff9b::/96, and the local-use 64:ff9b:1::/48 (refused even with a public IPv4)
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::a9fe:a9fe', 'link_local'],
    ['[64:ff9b:1::a9fe:a9fe]', 'link_local'],
    ['64:ff9b:1::808:808', 'private'],
    // 6to4 (2002::/16): the IPv4 follows the prefix
    ['2002:a9fe:a9fe::', 'link_local'],
    ['[2002:a9fe:a9fe::]', 'link_local'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    // Teredo (2001::/32): server IPv4, then the client's IPv4 inverted in the last 32 bits
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // client ~80ff:fffe = 127.0.0.1
    ['2001:0:4136:e378:8000:63bf:5601:5601', 'link_local'], // client ~5601:5601 = 169.254.169.254
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'private'], // server 10.0.0.1
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'reserved'], // public on both sides: no public service sits behind Teredo
    ['not-an-ip', 'reserved'],
    ['localhost', 'reserved'],
  ])('%s is %s', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '93.184.216.34',
    '2606:4700::1111',
    '2a00:1450:4001:81b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2001:4860:4860::8888',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });
});
