import type { EnrichmentApi, ServiceNowRow } from '../../src/enrichment/enrichment-api';
import { RecordReader } from '../../src/enrichment/record-reader';

/** A ServiceNow table API that answers each query when told to, and keeps the sys_ids each query asked for. */
function heldApi() {
  const queries: { ids: string[]; at: number; answer: () => void; fail: (err: Error) => void }[] = [];
  const api = {
    queryTable: (_table: string, { query }: { query: string }) =>
      new Promise<ServiceNowRow[]>((resolve, reject) => {
        const ids = query.replace('sys_idIN', '').split(',');
        queries.push({ ids, at: performance.now(), answer: () => resolve(ids.map((id) => ({ sys_id: { value: id, display_value: id } }) as unknown as ServiceNowRow)), fail: reject });
      }),
  } as unknown as EnrichmentApi;
  return { api, queries };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('RecordReader', () => {
  it('when one change is read alone, then its query goes at the end of the turn, with no waiting window', async () => {
    // timers stand still: a read that waited for any timer (a window of however few ms) would not be sent
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const { api, queries } = heldApi();
      const reader = new RecordReader(api);
      const read = reader.read('sn_customerservice_case', 'a');
      await turn();
      expect(queries).toHaveLength(1);
      queries[0].answer();
      expect(await read).toMatchObject({ sys_id: { value: 'a' } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('when reads come in one turn, then they share one query, and one record read twice is asked once', async () => {
    const { api, queries } = heldApi();
    const reader = new RecordReader(api);
    const reads = [reader.read('t', 'a'), reader.read('t', 'b'), reader.read('t', 'a')];
    await turn();
    expect(queries.map((q) => q.ids)).toEqual([['a', 'b']]);
    queries[0].answer();
    expect((await Promise.all(reads)).map((r) => (r as unknown as { sys_id: { value: string } }).sys_id.value)).toEqual(['a', 'b', 'a']);
  });

  it('when reads come while a query of the table is in flight, then they gather and go together as soon as it is answered', async () => {
    const { api, queries } = heldApi();
    const reader = new RecordReader(api);
    const first = reader.read('t', 'a');
    await turn();
    const later = [reader.read('t', 'b')];
    await turn();
    later.push(reader.read('t', 'c'));
    await turn();
    expect(queries).toHaveLength(1); // b and c wait for a's query
    queries[0].answer();
    await first;
    await turn();
    expect(queries.map((q) => q.ids)).toEqual([['a'], ['b', 'c']]);
    queries[1].answer();
    await Promise.all(later);
  });

  it('when the query in flight is slow or fails, then the reads waiting behind it go after maxWaitMs, and a failure rejects only its own reads', async () => {
    const { api, queries } = heldApi();
    const reader = new RecordReader(api, { maxWaitMs: 20 });
    const first = reader.read('t', 'a');
    await turn();
    const second = reader.read('t', 'b');
    await new Promise((r) => setTimeout(r, 40));
    expect(queries.map((q) => q.ids)).toEqual([['a'], ['b']]);
    queries[0].fail(new Error('ServiceNow 503'));
    await expect(first).rejects.toThrow('ServiceNow 503');
    queries[1].answer();
    await expect(second).resolves.toMatchObject({ sys_id: { value: 'b' } });
  });

  it('when another table is being read, then a read of this table does not wait for it', async () => {
    const { api, queries } = heldApi();
    const reader = new RecordReader(api);
    void reader.read('t', 'a');
    await turn();
    void reader.read('u', 'x');
    await turn();
    expect(queries.map((q) => q.ids)).toEqual([['a'], ['x']]);
  });
});
