import { describe, expect, it } from 'vitest';
import { InFlightWindow } from '../mqtt/in-flight-window.js';

describe('in-flight window', () => {
  it('tracks sends and acks, and reports when each ack was sent', () => {
    const window = new InFlightWindow();
    window.sent(1, 100);
    window.sent(2, 110);
    expect(window.size).toBe(2);
    expect(window.cursor).toBe(2);
    expect(window.acked(1)).toBe(100);
    expect(window.acked(1)).toBeUndefined();
    expect(window.size).toBe(1);
  });

  it('when the connection drops, then everything in flight is pending again from the oldest', () => {
    const window = new InFlightWindow();
    for (const seq of [5, 6, 7]) window.sent(seq, 0);
    window.reset();
    expect(window.size).toBe(0);
    expect(window.cursor).toBe(0);
  });

  it('keeps acknowledged entries settling across a reset until their removal is committed', () => {
    const window = new InFlightWindow();
    window.sent(1, 0);
    window.acked(1);
    window.reset();
    expect(window.isSettling(1)).toBe(true);
    window.skip(1);
    expect(window.cursor).toBe(1);
    window.removed(1);
    expect(window.isSettling(1)).toBe(false);
  });
});
