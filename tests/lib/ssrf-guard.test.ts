import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedLookup, resolveTarget, SsrfBlockedError, vetLiteralHost } from '../../src/lib/ssrf-guard';

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

describe('vetLiteralHost', () => {
  it.each(['127.0.0.1', '[::1]', '[::127.0.0.1]', '[::ffff:0:127.0.0.1]', '[64:ff9b:1::a9fe:a9fe]', '[2002:a9fe:a9fe::]', '169.254.169.254'])(
    'when the host is the literal %s, then it is refused',
    (host) => {
      expect(() => vetLiteralHost(host, false)).toThrow(SsrfBlockedError);
      expect(() => vetLiteralHost(host, true)).not.toThrow();
    },
  );

  it('when the host is a public literal or a name, then it passes (names are judged when resolved)', () => {
    expect(() => vetLiteralHost('93.184.216.34', false)).not.toThrow();
    expect(() => vetLiteralHost('localhost', false)).not.toThrow();
  });
});

describe('guardedLookup in an HTTP agent', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(host: string, agent: http.Agent): Promise<number> {
    return new Promise((resolve, reject) => {
      http.get({ host, port, path: '/', agent }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject);
    });
  }

  it('when a name resolves to loopback, then the connection is refused before it is made', async () => {
    const before = connections;
    const agent = new http.Agent({ lookup: guardedLookup(false) });
    await expect(get('localhost', agent)).rejects.toMatchObject({ code: 'ESSRFBLOCKED', reason: 'ssrf_blocked' });
    expect(connections).toBe(before);
    agent.destroy();
  });

  it('when private targets are allowed, then the same name connects to the vetted address', async () => {
    const resolved: string[] = [];
    const agent = new http.Agent({ lookup: guardedLookup(true, async (host) => (resolved.push(host), [{ address: '127.0.0.1', family: 4 }])) });
    await expect(get('sn.example.test', agent)).resolves.toBe(200);
    expect(resolved).toEqual(['sn.example.test']);
    agent.destroy();
  });
});
