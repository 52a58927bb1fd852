/** cluster-key-slot (the slot function ioredis routes with) ships no types. */
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0–16383) of a key: CRC16 of its `{hash tag}`, or of the whole key without one. */
  function calculateSlot(key: string | Buffer): number;
  export = calculateSlot;
}
