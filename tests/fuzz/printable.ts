import fc from 'fast-check';

/** Shows a case in a failure report by its kind and the start of its bytes, not as a byte array of kilobytes. */
export function printable<T extends { kind: string }>(value: T, bytes: Buffer): T {
  const shown = bytes.subarray(0, 600).toString('latin1');
  return Object.assign(value, { [fc.toStringMethod]: () => `${value.kind} (${bytes.length} bytes) ${JSON.stringify(shown)}${bytes.length > 600 ? '…' : ''}` });
}
