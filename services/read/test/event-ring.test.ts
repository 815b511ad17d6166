import { describe, expect, it } from 'vitest';
import { EventRing, type ResumeResult } from '../live/event-ring.js';

function ringWith(count: number, capacity = 10, generation = 'g7'): EventRing {
  const ring = new EventRing(generation, capacity);
  for (let i = 1; i <= count; i += 1) ring.push(`{"n":${i}}`);
  return ring;
}

const replayedIds = (result: ResumeResult): string[] | 'resync' => (result.kind === 'resync' ? 'resync' : result.events.map((e) => e.id));

describe('EventRing.push', () => {
  it('when events are pushed, then they get ids {generation}-1, -2, … and keep their data', () => {
    const ring = new EventRing('g7', 10);
    expect(ring.push('{"a":1}')).toEqual({ id: 'g7-1', data: '{"a":1}' });
    expect(ring.push('{"a":2}')).toEqual({ id: 'g7-2', data: '{"a":2}' });
  });

  it('when the ring is over capacity, then ids keep counting (they are not reused)', () => {
    const ring = ringWith(5, 2);
    expect(ring.push('x').id).toBe('g7-6');
  });
});

describe('EventRing.resumeAfter', () => {
  it('when the last id is known, then the events after it are replayed in order', () => {
    expect(replayedIds(ringWith(5).resumeAfter('g7-2'))).toEqual(['g7-3', 'g7-4', 'g7-5']);
  });

  it('when the last id is the newest, then there is nothing to replay', () => {
    expect(ringWith(5).resumeAfter('g7-5')).toEqual({ kind: 'replay', events: [] });
  });

  it('when replayed, then the events carry their original data', () => {
    const result = ringWith(3).resumeAfter('g7-2');
    expect(result).toEqual({ kind: 'replay', events: [{ id: 'g7-3', data: '{"n":3}' }] });
  });

  it('when the id is just before the oldest kept event, then everything kept is replayed', () => {
    // Capacity 3 after 5 pushes keeps 3, 4, 5: after 2 nothing was lost.
    expect(replayedIds(ringWith(5, 3).resumeAfter('g7-2'))).toEqual(['g7-3', 'g7-4', 'g7-5']);
  });

  it('when events after the id have rolled out of the ring, then the client must resync', () => {
    expect(ringWith(5, 3).resumeAfter('g7-1')).toEqual({ kind: 'resync' });
  });

  it('when the id is from another generation, then the client must resync even if the number exists', () => {
    expect(ringWith(5).resumeAfter('g6-2')).toEqual({ kind: 'resync' });
  });

  it('when the id is from the future of this generation, then the client must resync', () => {
    expect(ringWith(5).resumeAfter('g7-6')).toEqual({ kind: 'resync' });
    expect(ringWith(5).resumeAfter('g7-99999999999999999999')).toEqual({ kind: 'resync' });
  });

  it('when the id is not of the form {generation}-{n}, then the client must resync', () => {
    for (const id of ['', 'g7', 'g7-', '-3', 'g7-x', 'g7-3.5', 'g7--3']) expect(ringWith(5).resumeAfter(id)).toEqual({ kind: 'resync' });
  });

  it('when the generation itself contains dashes, then its ids are still resumed', () => {
    const ring = ringWith(3, 10, '2026-11-23-abc');
    expect(replayedIds(ring.resumeAfter('2026-11-23-abc-1'))).toEqual(['2026-11-23-abc-2', '2026-11-23-abc-3']);
  });

  it('when nothing was pushed yet, then resuming from 0 replays nothing and any other id resyncs', () => {
    const ring = new EventRing('g7', 10);
    expect(ring.resumeAfter('g7-0')).toEqual({ kind: 'replay', events: [] });
    expect(ring.resumeAfter('g7-1')).toEqual({ kind: 'resync' });
  });
});

describe('event ring age bound', () => {
  it('when events are older than the resume window, then they are dropped and resuming before them resyncs', () => {
    let now = 0;
    const ring = new EventRing('g1', 100, 1_000, () => now);
    const first = ring.push('a');
    now = 600;
    const second = ring.push('b');
    now = 1_500;
    ring.push('c');
    // 'a' (t=0) fell out of the window at t=1,500; 'b' (t=600) is still there.
    expect(ring.resumeAfter(first.id)).toEqual({ kind: 'replay', events: [expect.objectContaining({ data: 'b' }), expect.objectContaining({ data: 'c' })] });
    now = 2_000;
    ring.push('d');
    expect(ring.resumeAfter(first.id)).toEqual({ kind: 'resync' });
    expect(ring.resumeAfter(second.id)).toEqual({ kind: 'replay', events: [expect.objectContaining({ data: 'c' }), expect.objectContaining({ data: 'd' })] });
  });
});
