// Publishes Aedes must not forward when it gets to them: readings refused and dead-lettered, and
// readings already forwarded to live subscribers before their journal commit (forward-early.ts).
// Aedes forwards a publish after authorizePublish says yes; the forwarded packet keeps the same
// payload Buffer, so a WeakSet lets authorizeForward drop exactly those without copying or
// re-validating anything.
export interface HeldBackPayloads {
  holdBack(payload: Buffer): void;
  isHeldBack(payload: Buffer): boolean;
}

export function createHeldBackPayloads(): HeldBackPayloads {
  const held = new WeakSet<Buffer>();
  return {
    holdBack: (payload) => held.add(payload),
    isHeldBack: (payload) => held.has(payload),
  };
}
