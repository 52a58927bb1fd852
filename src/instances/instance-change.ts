/** A change notice on the pub/sub channel (ids only: secrets never travel on it). */
export interface InstanceChange {
  op: 'set' | 'remove';
  id: string;
}
