import { describe, expect, it } from 'vitest';
import type { Aedes, PublishPacket } from 'aedes';
import { createLiveForward } from '../live-forward.js';

const packet: PublishPacket = { cmd: 'publish', topic: 'em/v1/h-1/a-1/readings', payload: Buffer.from('x'), qos: 0, retain: false, dup: false };

/** The two things live-forward.ts touches on Aedes: its emitter's queue length and publish. */
function fakeAedes(mq: unknown): { aedes: Aedes; published: PublishPacket[] } {
  const published: PublishPacket[] = [];
  const aedes = { mq, publish: (p: PublishPacket) => published.push(p) } as unknown as Aedes;
  return { aedes, published };
}

describe('createLiveForward', () => {
  it('when fewer messages than the bound wait in the emitter, then it publishes', () => {
    const mq = { length: 2 };
    const { aedes, published } = fakeAedes(mq);
    let dropped = 0;
    const live = createLiveForward(() => aedes, { maxQueued: 3, onDropped: () => dropped++ });
    live.forward(packet);
    expect(published).toHaveLength(1);
    expect(dropped).toBe(0);
  });

  it('when the emitter holds the bound or more, then it drops and counts instead of queueing more', () => {
    const mq = { length: 3 };
    const { aedes, published } = fakeAedes(mq);
    let dropped = 0;
    const live = createLiveForward(() => aedes, { maxQueued: 3, onDropped: () => dropped++ });
    live.forward(packet);
    live.forward(packet);
    expect(published).toHaveLength(0);
    expect(dropped).toBe(2);
    mq.length = 0; // the emitter drained: forwarding resumes
    live.forward(packet);
    expect(published).toHaveLength(1);
  });

  it('when Aedes is not built yet, then it does nothing', () => {
    let dropped = 0;
    const live = createLiveForward(() => undefined, { maxQueued: 3, onDropped: () => dropped++ });
    live.forward(packet);
    expect(dropped).toBe(0);
  });

  it('when the emitter has no readable length, then it publishes (no bound rather than no forwards)', () => {
    const { aedes, published } = fakeAedes({});
    const live = createLiveForward(() => aedes, { maxQueued: 1, onDropped: () => undefined });
    live.forward(packet);
    expect(published).toHaveLength(1);
  });
});
