import { describe, expect, it } from 'vitest';
import { filterMayMatchReadings } from '../forward-early.js';

describe('which subscriptions can match a readings topic', () => {
  it.each(['#', 'em/#', 'em/v1/#', 'em/v1/h1/+/readings', 'em/v1/+/+/readings', 'em/+/h1/a1/+', '+/+/+/+/+', 'em/v1/h1/a1/readings', 'em/v1/h1/a1/readings/#'])(
    'when a client subscribes to %s, then readings may go to it',
    (filter) => expect(filterMayMatchReadings(filter)).toBe(true),
  );

  it.each(['em/v1/h1/+/status', 'em/v1/h1/a1', 'em/v1/h1/a1/readings/x', 'em/v2/#', '$SYS/#', 'other/v1/h1/a1/readings', '+/+/+/+', 'em/v1/+/+/+/+'])(
    'when a client subscribes to %s, then no readings topic matches',
    (filter) => expect(filterMayMatchReadings(filter)).toBe(false),
  );
});
