// Payloads the broker acknowledged but refused (dead-lettered). Aedes forwards a publish after
// authorizePublish says yes; the forwarded packet keeps the same payload Buffer, so a WeakSet
// lets authorizeForward drop exactly those without copying or re-validating anything.
export interface RejectedPayloads {
  mark(payload: Buffer): void;
  isRejected(payload: Buffer): boolean;
}

export function createRejectedPayloads(): RejectedPayloads {
  const rejected = new WeakSet<Buffer>();
  return {
    mark: (payload) => rejected.add(payload),
    isRejected: (payload) => rejected.has(payload),
  };
}
