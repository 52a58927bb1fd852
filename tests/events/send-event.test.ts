import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendEvent } from '../../src/events/send-event';
import { toCloudEvent } from '../../src/events/to-cloud-event';
import { caseData, changeOf, instanceFor, SIGNATURE_KEY } from './fixtures';

/** A subscriber that counts its connections and can drop the next request that arrives on a reused one. */
async function startCountingSubscriber(): Promise<{ url: string; connections: () => number; received: () => number; dropNextOnReusedSocket: () => void; close(): Promise<void> }> {
  const requestsOn = new WeakMap<Socket, number>();
  let connections = 0;
  let received = 0;
  let dropNext = false;
  const server = http.createServer((req, res) => {
    const seen = (requestsOn.get(req.socket) ?? 0) + 1;
    requestsOn.set(req.socket, seen);
    if (dropNext && seen > 1) {
      // as when a subscriber closes an idle keep-alive connection just as the next request goes out on it
      dropNext = false;
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    connections: () => connections,
    received: () => received,
    dropNextOnReusedSocket: () => (dropNext = true),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

type CountingSubscriber = Awaited<ReturnType<typeof startCountingSubscriber>>;

/** Runs a test against a fresh counting subscriber and closes it afterwards. */
async function withCountingSubscriber(test: (subscriber: CountingSubscriber) => Promise<void>): Promise<void> {
  const subscriber = await startCountingSubscriber();
  try {
    await test(subscriber);
  } finally {
    await subscriber.close();
  }
}

const newEvent = () => {
  const change = changeOf('sn_customerservice_case', 'update');
  return toCloudEvent(change, instanceFor('acme', 'http://127.0.0.1/'), caseData(change));
};

describe('sending an event to the subscriber', () => {
  it('when several events go to one subscriber, then they share one kept-alive connection', () =>
    withCountingSubscriber(async (subscriber) => {
      const target = { callbackUrl: subscriber.url, signatureKey: SIGNATURE_KEY, allowPrivateTargets: true };
      for (let i = 0; i < 5; i++) expect(await sendEvent(newEvent(), target, { timeoutMs: 2000 })).toMatchObject({ kind: 'delivered', status: 204 });
      expect(subscriber.received()).toBe(5);
      expect(subscriber.connections()).toBe(1);
    }));

  it('when the subscriber drops a reused connection before answering, then the event is sent again once on a new one and delivered', () =>
    withCountingSubscriber(async (subscriber) => {
      const target = { callbackUrl: subscriber.url, signatureKey: SIGNATURE_KEY, allowPrivateTargets: true };
      expect(await sendEvent(newEvent(), target, { timeoutMs: 2000 })).toMatchObject({ kind: 'delivered' });
      subscriber.dropNextOnReusedSocket();
      expect(await sendEvent(newEvent(), target, { timeoutMs: 2000 })).toMatchObject({ kind: 'delivered' });
      expect(subscriber.received()).toBe(2);
      expect(subscriber.connections()).toBe(2);
    }));

  it('when an instance that allows private targets kept a connection open, then an instance that does not never reuses it', () =>
    withCountingSubscriber(async (subscriber) => {
      const port = new URL(subscriber.url).port;
      const callbackUrl = `http://hooks.rebinding.test:${port}/events`;
      // the same name first resolves to loopback (allowed for the first instance), then — rebinding — to a public address
      const loopback = async () => [{ address: '127.0.0.1', family: 4 as const }];
      const publicAddress = async () => [{ address: '93.184.216.34', family: 4 as const }]; // public; on a random port it does not answer in time (or is unreachable)
      expect(await sendEvent(newEvent(), { callbackUrl, signatureKey: SIGNATURE_KEY, allowPrivateTargets: true }, { timeoutMs: 2000, resolve: loopback })).toMatchObject({ kind: 'delivered' });
      const strict = await sendEvent(newEvent(), { callbackUrl, signatureKey: SIGNATURE_KEY, allowPrivateTargets: false }, { timeoutMs: 300, resolve: publicAddress });
      expect(strict).toMatchObject({ kind: 'retryable' });
      expect(subscriber.received()).toBe(1);
    }));

  it('when the subscriber does not answer in time, then the attempt ends as a retryable timeout', async () => {
    const server = http.createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
      const outcome = await sendEvent(newEvent(), { callbackUrl: url, signatureKey: SIGNATURE_KEY, allowPrivateTargets: true }, { timeoutMs: 300 });
      expect(outcome).toMatchObject({ kind: 'retryable', error: expect.stringMatching(/^timeout: /) });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('sending to a callback URL that embeds a private IPv4 in IPv6', () => {
  it.each(['[::127.0.0.1]', '[::ffff:127.0.0.1]', '[::ffff:0:127.0.0.1]', '[64:ff9b::7f00:1]', '[64:ff9b:1::a9fe:a9fe]', '[2002:7f00:1::]', '[2002:a9fe:a9fe::]'])(
    'when the callback host is %s and private targets are not allowed, then nothing is sent and the outcome is ssrf_blocked',
    (host) =>
      withCountingSubscriber(async (subscriber) => {
        const callbackUrl = subscriber.url.replace('127.0.0.1', host);
        const outcome = await sendEvent(newEvent(), { callbackUrl, signatureKey: SIGNATURE_KEY, allowPrivateTargets: false }, { timeoutMs: 500 });
        expect(outcome).toMatchObject({ kind: 'permanent', reason: 'ssrf_blocked' });
        expect(subscriber.connections()).toBe(0);
      }),
  );
});
