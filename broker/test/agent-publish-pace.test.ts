import { describe, expect, it } from 'vitest';
import { createAgentPublishPace, PACE_SWEEP_EVERY_MS, REPORT_PACED_EVERY_MS, type PublishPaceSettings } from '../agent-publish-pace.js';

/** A clock and timers moved by hand: timers fire, in due order, only when the test advances time. */
function fakeClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    setTimer(run: () => void, delayMs: number) {
      timers.push({ at: now + delayMs, run });
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.run();
      }
      now = until;
    },
    jumpWithoutTimers(ms: number) {
      now += ms;
    },
    pendingTimers: () => timers.length,
  };
}

function setup(settings: PublishPaceSettings) {
  const clock = fakeClock();
  const pace = createAgentPublishPace(settings, clock);
  const ran: string[] = [];
  /** A publish of `readings` readings (1 unless said: these tests are about the publishes meter). */
  const publish = (agent: string, name: string, readings = 1): number => pace.admit(agent, readings, () => ran.push(name));
  return { clock, pace, ran, publish };
}

describe('agent publish pace', () => {
  it('when an agent publishes its burst at once, then each runs at once; the next waits one interval', () => {
    const { publish, ran } = setup({ publishesPerS: 10, burst: 3 });
    expect([publish('a', '1'), publish('a', '2'), publish('a', '3')]).toEqual([0, 0, 0]);
    expect(ran).toEqual(['1', '2', '3']);
    expect(publish('a', '4')).toBe(100);
    expect(publish('a', '5')).toBe(200);
    expect(ran).toEqual(['1', '2', '3']);
  });

  it('when publishes are delayed, then they run in arrival order, each at its computed time', () => {
    const { publish, ran, clock } = setup({ publishesPerS: 10, burst: 1 });
    const delays = ['1', '2', '3', '4'].map((name) => publish('a', name));
    expect(delays).toEqual([0, 100, 200, 300]);
    clock.advance(99);
    expect(ran).toEqual(['1']);
    clock.advance(1);
    expect(ran).toEqual(['1', '2']);
    clock.advance(200);
    expect(ran).toEqual(['1', '2', '3', '4']);
  });

  it('when publishes arrive while earlier ones of the agent wait, then they run after them, in order', () => {
    const { publish, ran, clock } = setup({ publishesPerS: 10, burst: 2 });
    publish('a', '1');
    publish('a', '2');
    expect(publish('a', '3')).toBe(100);
    clock.advance(50);
    expect(publish('a', '4')).toBe(150);
    expect(ran).toEqual(['1', '2']);
    clock.advance(1000);
    expect(ran).toEqual(['1', '2', '3', '4']);
  });

  it('when the timer of waiting publishes fires late, then a publish arriving meanwhile still waits behind them', () => {
    const { publish, ran, clock } = setup({ publishesPerS: 10, burst: 1 });
    publish('a', '1');
    expect(publish('a', '2')).toBe(100);
    clock.jumpWithoutTimers(500); // a busy event loop: 2 is due, its timer has not run yet
    expect(publish('a', '3')).toBe(0); // by the pace alone, 3 may go now...
    expect(ran).toEqual(['1']); // ...but not before 2
    clock.advance(0);
    expect(ran).toEqual(['1', '2', '3']);
  });

  it('when one agent is over its pace, then another agent is not slowed', () => {
    const { publish, ran } = setup({ publishesPerS: 1, burst: 1 });
    publish('a', 'a1');
    expect(publish('a', 'a2')).toBe(1000);
    expect(publish('b', 'b1')).toBe(0);
    expect(publish('b', 'b2')).toBe(1000);
    expect(publish('c', 'c1')).toBe(0);
    expect(ran).toEqual(['a1', 'b1', 'c1']);
  });

  it('when an agent keeps to its rate, then it is never delayed; after an idle time its burst is back', () => {
    const { publish, clock } = setup({ publishesPerS: 10, burst: 5 });
    for (let i = 0; i < 50; i++) {
      expect(publish('a', String(i))).toBe(0);
      clock.advance(100);
    }
    for (let i = 0; i < 5; i++) expect(publish('a', `burst-${i}`)).toBe(0);
    expect(publish('a', 'over')).toBeGreaterThan(0);
    clock.advance(600); // 5 intervals after the last one was due: the bucket is full again
    for (let i = 0; i < 5; i++) expect(publish('a', `again-${i}`)).toBe(0);
  });

  it('when a backlog is sent all at once, then it drains at the rate after the burst', () => {
    const { publish, ran, clock } = setup({ publishesPerS: 20, burst: 100 });
    for (let i = 0; i < 1100; i++) publish('a', String(i));
    expect(ran).toHaveLength(100);
    clock.advance(50_000); // 1000 more at 20/s
    expect(ran).toHaveLength(1100);
    expect(ran).toEqual(Array.from({ length: 1100 }, (_, i) => String(i)));
  });

  it('when agents go idle, then their state is evicted at the next sweep; one with publishes waiting is kept', () => {
    const { publish, pace, clock } = setup({ publishesPerS: 10, burst: 1 });
    for (let i = 0; i < 1000; i++) publish(`agent-${i}`, 'x');
    publish('slow', '1');
    publish('slow', '2');
    publish('slow', '3');
    publish('slow', '4'); // due at 300 ms
    expect(pace.trackedAgents()).toBe(1001);
    clock.advance(PACE_SWEEP_EVERY_MS);
    publish('fresh', 'y'); // a publish triggers the sweep
    expect(pace.trackedAgents()).toBe(1); // only 'fresh': 'slow' has drained and was idle too
  });

  it('when an agent still has publishes waiting at a sweep, then its state is kept', () => {
    const { publish, pace, clock } = setup({ publishesPerS: 1, burst: 1 });
    for (let i = 0; i < 5; i++) publish('slow', String(i)); // the last is due at 4 s
    clock.advance(PACE_SWEEP_EVERY_MS);
    publish('other', 'y');
    expect(pace.trackedAgents()).toBe(2);
  });

  it('when the rate is 0, then nothing is ever delayed and nothing is kept', () => {
    const { publish, pace, ran, clock } = setup({ publishesPerS: 0, burst: 1 });
    for (let i = 0; i < 10_000; i++) expect(publish('a', String(i))).toBe(0);
    expect(ran).toHaveLength(10_000);
    expect(pace.trackedAgents()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
  it('when an agent keeps being paced, then the operator is told once, again only after ten minutes, and about each agent on its own', () => {
    const clock = fakeClock();
    const told: [string, number][] = [];
    const pace = createAgentPublishPace({ publishesPerS: 10, burst: 1 }, clock, (agent, delayMs) => told.push([agent, delayMs]));
    const go = (): void => undefined;
    pace.admit('a', 1, go); // within the pace: nothing to tell
    expect(told).toEqual([]);
    pace.admit('a', 1, go);
    pace.admit('a', 1, go);
    pace.admit('b', 1, go);
    pace.admit('b', 1, go);
    expect(told).toEqual([['a', 100], ['b', 100]]);
    // Paced all along, one publish per interval over it, until ten minutes have passed.
    for (let ms = 0; ms < REPORT_PACED_EVERY_MS; ms += 50) {
      clock.advance(50);
      pace.admit('a', 1, go);
    }
    expect(told.filter(([agent]) => agent === 'a')).toHaveLength(2);
  });

  it('when a paced agent falls idle and is forgotten, then its next pacing is told about afresh', () => {
    const clock = fakeClock();
    const told: string[] = [];
    const pace = createAgentPublishPace({ publishesPerS: 10, burst: 1 }, clock, (agent) => told.push(agent));
    const go = (): void => undefined;
    pace.admit('a', 1, go);
    pace.admit('a', 1, go);
    expect(told).toEqual(['a']);
    clock.advance(PACE_SWEEP_EVERY_MS + 1000);
    pace.admit('b', 1, go); // the sweep runs: 'a' is idle and evicted
    expect(pace.trackedAgents()).toBe(1);
    pace.admit('a', 1, go);
    pace.admit('a', 1, go);
    expect(told).toEqual(['a', 'a']);
  });

  describe('readings meter', () => {
    it('when an agent sends more readings than its burst, then the publish after the burst waits for their time at the readings rate', () => {
      const { publish, ran, clock } = setup({ publishesPerS: 0, burst: 1, readingsPerS: 1_000, readingsBurst: 2_000 });
      // 1,000 readings a publish: two fill the burst; each next one waits until a second's worth
      // of readings has room again.
      expect(publish('a', '1', 1_000)).toBe(0);
      expect(publish('a', '2', 1_000)).toBe(0);
      expect(publish('a', '3', 1_000)).toBe(1_000);
      expect(publish('a', '4', 1_000)).toBe(2_000);
      clock.advance(999);
      expect(ran).toEqual(['1', '2']);
      clock.advance(1);
      expect(ran).toEqual(['1', '2', '3']);
      clock.advance(1_000);
      expect(ran).toEqual(['1', '2', '3', '4']);
    });

    it('when one publish costs more than the whole burst, then it goes once the burst is all back, and the next waits for its readings', () => {
      const { publish } = setup({ publishesPerS: 0, burst: 1, readingsPerS: 1_000, readingsBurst: 500 });
      expect(publish('a', '1', 1_000)).toBe(0);
      expect(publish('a', '2', 1_000)).toBe(1_000);
      expect(publish('a', '3', 100)).toBe(1_600);
    });

    it('when an agent sends few readings a publish, then only the publishes meter holds it', () => {
      const { publish } = setup({ publishesPerS: 10, burst: 1, readingsPerS: 1_000, readingsBurst: 2_000 });
      expect([publish('a', '1', 11), publish('a', '2', 11), publish('a', '3', 11)]).toEqual([0, 100, 200]);
    });

    it('when both meters hold a publish, then it waits for the later of the two', () => {
      // The first publish spends the readings burst: the readings meter has room for 50 again 500 ms later.
      const readingsLater = setup({ publishesPerS: 10, burst: 2, readingsPerS: 100, readingsBurst: 100 });
      expect(readingsLater.publish('a', '1', 100)).toBe(0);
      expect(readingsLater.publish('a', '2', 50)).toBe(500);
      const publishesLater = setup({ publishesPerS: 10, burst: 1, readingsPerS: 100, readingsBurst: 100 });
      expect(publishesLater.publish('a', '1', 100)).toBe(0);
      expect(publishesLater.publish('a', '2', 1)).toBe(100);
    });

    it('when a publish carries no readable measurement, then it still costs one reading', () => {
      const { publish } = setup({ publishesPerS: 0, burst: 1, readingsPerS: 10, readingsBurst: 1 });
      expect([publish('a', '1', 0), publish('a', '2', 0), publish('a', '3', 0)]).toEqual([0, 100, 200]);
    });

    it('when an agent\'s readings are spread over the burst ÷ rate, then it is forgotten, and another agent is never held by it', () => {
      const { publish, pace, clock } = setup({ publishesPerS: 0, burst: 1, readingsPerS: 1_000, readingsBurst: 1_000 });
      expect(publish('a', '1', 5_000)).toBe(0);
      expect(publish('b', '1', 10)).toBe(0);
      clock.advance(PACE_SWEEP_EVERY_MS);
      publish('c', '1', 1);
      expect(pace.trackedAgents()).toBe(2); // a is 4 s ahead of its rate: kept; b kept to it: forgotten
      clock.advance(5_000);
      publish('c', '2', 1);
      expect(pace.trackedAgents()).toBe(1);
      expect(publish('a', '2', 1_000)).toBe(0);
    });
  });
});
