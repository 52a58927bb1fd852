import { watchEventLoopLoad } from '../../src/lib/event-loop-load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the event loop busy (no I/O waits) for `ms`. */
function spin(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('watchEventLoopLoad', () => {
  it('is busy after an interval the loop spent working, and not after one it spent waiting', async () => {
    const load = watchEventLoopLoad(0.8, 100);
    try {
      await sleep(250);
      expect(load.busy()).toBe(false);
      spin(400); // the sampling timer cannot run meanwhile: its next sample covers the spin
      await sleep(20);
      expect(load.busy()).toBe(true);
      await sleep(350);
      expect(load.busy()).toBe(false);
    } finally {
      load.stop();
    }
  });
});
