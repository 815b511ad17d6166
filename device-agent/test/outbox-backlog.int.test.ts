// An agent back from a week offline: its outbox holds a week of containers (one a minute), and it
// resends them oldest first, never more than maxInFlight unacknowledged, until the outbox is empty.
// Watched from the broker's side of the link (in-flight-tap.ts), against a bare Aedes broker.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Measurement } from '../../proto/container.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { createAgent } from '../agent.js';
import { DEFAULT_MAX_OUTBOX_ENTRIES, openOutboxStore, type AgentOutbox } from '../outbox.js';
import { createSimulatedHousehold } from '../sources/simulated-household.js';
import { startBareAedes } from './bare-aedes.js';
import { eventually } from './eventually.js';
import { startInFlightTap } from './in-flight-tap.js';

const HOUSEHOLD = 'h-0001';
const AGENT = 'a-0001';
const WEEK_OF_MINUTES = DEFAULT_MAX_OUTBOX_ENTRIES; // 10,080: the outbox holds exactly a week
const MAX_IN_FLIGHT = 32; // EM_AGENT_MAX_IN_FLIGHT's default
const T0 = Date.UTC(2024, 0, 8);

/** A week of one container a minute, each of one sample of two simulated sockets and the mains (5 readings). */
async function fillWithAWeek(outbox: AgentOutbox): Promise<void> {
  const household = createSimulatedHousehold({ seed: 1, devices: 2 });
  for (let first = 0; first < WEEK_OF_MINUTES; first += 500) {
    const minutes = Array.from({ length: Math.min(500, WEEK_OF_MINUTES - first) }, (_, k) => first + k);
    const drafts = [];
    for (const minute of minutes) {
      const measurements: Measurement[] = await household.read(T0 + minute * 60_000);
      drafts.push({ householdId: HOUSEHOLD, agentId: AGENT, createdAtMs: T0 + (minute + 1) * 60_000, measurements });
    }
    // Appended together, committed in few transactions; seq follows the order of the calls.
    await Promise.all(drafts.map((draft) => outbox.append(draft)));
  }
}

describe('an agent back from a week offline', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('when the broker is reachable again, then the whole backlog arrives in seq order, never more than maxInFlight unacknowledged, and the outbox empties', async () => {
    const dir = makeTempDir('backlog');
    cleanups.push(() => dir.remove());
    const store = openOutboxStore(dir.join('outbox.mdb'));
    cleanups.push(() => store.close());
    const outbox = store.forAgent(AGENT);
    await fillWithAWeek(outbox);
    expect(outbox.depth()).toBe(WEEK_OF_MINUTES);

    const aedes = await startBareAedes();
    cleanups.push(() => aedes.close());
    // PUBACKs held 1 ms at the broker's door, so that the window fills as behind a real link.
    const tap = await startInFlightTap(aedes.port, { holdAcksMs: 1 });
    cleanups.push(() => tap.close());
    await aedes.goAway(); // still offline when the agent starts
    const agent = createAgent({
      householdId: HOUSEHOLD,
      agentId: AGENT,
      brokerUrl: tap.url,
      source: createSimulatedHousehold({ seed: 2, devices: 2 }),
      outbox,
      sampleIntervalMs: 60_000,
      publishIntervalMs: 3_600_000, // nothing new is sealed while the backlog drains
      maxInFlight: MAX_IN_FLIGHT,
      backoff: { baseMs: 20, capMs: 100 },
    });
    cleanups.push(() => agent.stop({ drainTimeoutMs: 200 }));
    agent.start();
    await eventually('the agent tried to reconnect', () => agent.stats().reconnects >= 2, () => agent.stats());
    await aedes.comeBack();

    const startedMs = performance.now();
    // The depth drops as each removal runs in its write transaction, a moment before the commit
    // lets readers (peek) see it: wait for both, and for the agent to have counted every PUBACK.
    const drained = (): boolean =>
      outbox.depth() === 0 && outbox.peek({ afterSeq: 0, limit: 1 }).length === 0 && agent.stats().inFlight === 0 && agent.stats().acked === WEEK_OF_MINUTES;
    await eventually('the backlog is acknowledged and removed', drained, () => agent.stats(), 90_000);
    const { firstPublishMs, lastAckMs } = tap.span();
    const drainMs = lastAckMs - firstPublishMs;
    console.log(
      `backlog of ${WEEK_OF_MINUTES} containers drained in ${drainMs.toFixed(0)} ms ` +
        `(${((WEEK_OF_MINUTES / drainMs) * 1000).toFixed(0)} containers/s; ${(performance.now() - startedMs).toFixed(0)} ms from the broker's return), ` +
        `at most ${tap.maxUnacknowledged()} unacknowledged at the broker's door`,
    );

    const seqs = tap.arrivals.get(AGENT) ?? [];
    expect(seqs).toEqual(Array.from({ length: WEEK_OF_MINUTES }, (_, i) => i + 1)); // each once, oldest first
    expect(aedes.readings.map((c) => c.seq)).toEqual(seqs);
    expect(tap.maxUnacknowledged()).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(tap.maxUnacknowledged()).toBe(MAX_IN_FLIGHT); // the window was full: the bound was tested
    expect(outbox.peek({ afterSeq: 0, limit: 1 })).toEqual([]);
    expect(agent.stats()).toMatchObject({ acked: WEEK_OF_MINUTES, pending: 0 });
  });
});
