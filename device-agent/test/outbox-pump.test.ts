import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { createAgentMetrics } from '../agent-metrics.js';
import { createOutboxPump } from '../mqtt/outbox-pump.js';
import { openOutboxStore, type AgentOutbox, type OutboxOptions } from '../outbox.js';
import { waitFor } from '../wait-for.js';
import { FakeClient } from './fake-mqtt-client.js';
import { holdWriter } from './held-writer.js';
import { ManualClock, settle } from './manual-clock.js';
import { recordingLogger, WARN } from './recording-logger.js';

describe('outbox pump', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  interface StoreOptions {
    readonly outbox?: OutboxOptions;
    /** Stands in for the outbox's removal (its other calls stay real). */
    readonly remove?: AgentOutbox['remove'];
  }

  async function setup(entries: number, maxInFlight = 32, log = silentLogger(), options: StoreOptions = {}) {
    const dir = makeTempDir('pump');
    cleanups.push(() => dir.remove());
    const path = dir.join('outbox.mdb');
    const store = openOutboxStore(path, options.outbox);
    cleanups.push(() => store.close());
    const outbox: AgentOutbox = store.forAgent('a-1');
    for (let i = 0; i < entries; i++) {
      await outbox.append({ householdId: 'h-1', agentId: 'a-1', createdAtMs: i, measurements: [] });
    }
    const clock = new ManualClock(0);
    const metrics = createAgentMetrics(new Registry(), () => outbox.depth());
    const pumped = options.remove === undefined ? outbox : { ...outbox, remove: options.remove };
    const pump = createOutboxPump({ outbox: pumped, topic: 't', maxInFlight, clock, log, metrics });
    // Runs before the store closes (cleanups run in reverse): a removal that commits late must
    // find no connection to pump into, as in the agent's own shutdown.
    cleanups.push(() => pump.detach());
    return { outbox, pump, clock, metrics, path };
  }

  /** Waits until LMDB has committed the removals the pump started. */
  async function committed(outbox: AgentOutbox, depth: number): Promise<void> {
    await waitFor(() => outbox.depth() === depth, 5000, 2);
    expect(outbox.depth()).toBe(depth);
  }

  it('keeps at most maxInFlight unacknowledged, oldest first, and removes an entry on its PUBACK', async () => {
    const { outbox, pump } = await setup(40);
    const client = new FakeClient();
    pump.attach(client.asClient());
    expect(client.sent.map((s) => s.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    client.ack(1);
    expect(client.sent.map((s) => s.seq).at(-1)).toBe(33);
    await committed(outbox, 39);
    expect(pump.stats()).toEqual({ inFlight: 32, published: 33, acked: 1 });
  });

  it('when the connection goes, then what was in flight is resent from the oldest on the next one', async () => {
    const { outbox, pump } = await setup(5, 3);
    const first = new FakeClient();
    pump.attach(first.asClient());
    first.ack(1);
    await committed(outbox, 4);
    pump.detach();
    first.ack(2); // a late answer from the old connection counts for nothing
    const second = new FakeClient();
    pump.attach(second.asClient());
    expect(second.sent.map((s) => s.seq)).toEqual([2, 3, 4]);
    expect(pump.stats().acked).toBe(1);
  });

  it('does not resend an entry whose PUBACK came just before the connection dropped', async () => {
    const { outbox, pump } = await setup(3);
    const first = new FakeClient();
    pump.attach(first.asClient());
    first.ack(1);
    pump.detach(); // the removal of seq 1 is not committed yet
    const second = new FakeClient();
    pump.attach(second.asClient());
    expect(second.sent.map((s) => s.seq)).toEqual([2, 3]);
    await committed(outbox, 2);
  });

  it('when a publish fails, then it ends the connection so that a reconnect resends', async () => {
    const { pump } = await setup(1);
    const client = new FakeClient();
    pump.attach(client.asClient());
    client.sent[0]?.callback(new Error('Connection closed'));
    await settle();
    expect(client.ended).toBe(true);
    expect(pump.stats().acked).toBe(0);
  });

  it('when every publish in flight fails at once, then it warns and ends the connection once, after MQTT.js is done failing them', async () => {
    const { log, lines } = recordingLogger();
    const { pump } = await setup(4, 32, log);
    const client = new FakeClient();
    pump.attach(client.asClient());
    // MQTT.js fails them one after another from inside its own loop over its in-flight table.
    for (const { callback } of client.sent) callback(new Error('Connection closed'));
    expect(client.ended).toBe(false);
    await settle();
    expect(client.ends).toBe(1);
    expect(lines.filter((line) => line.msg === 'publish failed; reconnecting').map((line) => line.level)).toEqual([WARN]);
  });

  it('when the connection is closed while stopping, then the failed publishes are no warning', async () => {
    const { log, lines } = recordingLogger();
    const { pump } = await setup(2, 32, log);
    const client = new FakeClient();
    pump.attach(client.asClient());
    const drained = pump.drain(1000);
    for (const { callback } of client.sent) callback(new Error('Connection closed'));
    pump.detach();
    expect(await drained).toBe(false);
    expect(lines.filter((line) => line.level >= WARN)).toEqual([]);
  });

  it('drains: true once the last PUBACK is in, false after the timeout, and sends nothing new meanwhile', async () => {
    const { outbox, pump, clock } = await setup(2, 1);
    const client = new FakeClient();
    pump.attach(client.asClient());
    const drained = pump.drain(1000);
    client.ack(1);
    expect(await drained).toBe(true);
    expect(client.sent.map((s) => s.seq)).toEqual([1]);
    await committed(outbox, 1);

    const { pump: slow, clock: slowClock } = await setup(1);
    slow.attach(new FakeClient().asClient());
    const timedOut = slow.drain(1000);
    await slowClock.advance(1000);
    expect(await timedOut).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  // A removal waits for its commit at most the outbox's flush time limit (outbox.ts); another
  // thread holding LMDB's writer lock stalls that commit as a hung fsync does (held-writer.ts).
  // A commit that fails on a full card: outbox-disk-full.int.test.ts.
  describe('removal failures', () => {
    const LIMIT_MS = 200;
    // Not "will be resent": a timed-out commit may land late and remove the entry first (below).
    const FAILED = 'outbox removal failed; the entry stays until this removal commits late or a later one succeeds, and may be resent';

    /** em_agent_outbox_removal_failures_total, by reason. */
    async function counted(metrics: ReturnType<typeof createAgentMetrics>): Promise<Record<string, number>> {
      const { values } = await metrics.outboxRemovalFailures.get();
      return Object.fromEntries(values.map(({ labels, value }) => [String(labels.reason), value]));
    }

    it('when a removal\'s commit is not confirmed within the limit, then em_agent_outbox_removal_failures_total{reason="timeout"} counts it once, the entry goes out again on the next connection while its commit is late, the late commit removes it with no later removal, and removals that commit count nothing', async () => {
      const { log, lines } = recordingLogger();
      const { outbox, pump, metrics, path } = await setup(3, 32, log, { outbox: { flushTimeoutMs: LIMIT_MS } });
      const failures = (): number => lines.filter((line) => line.msg === FAILED).length;
      const client = new FakeClient();
      pump.attach(client.asClient());
      const writer = await holdWriter(path);
      cleanups.push(() => writer.release());

      expect(await counted(metrics)).toEqual({ timeout: 0, error: 0 }); // every reason from 0
      client.ack(1);
      expect(await waitFor(() => failures() === 1, 5000, 5)).toBe(true);
      expect(await counted(metrics)).toEqual({ timeout: 1, error: 0 });
      client.ack(2);
      expect(await waitFor(() => failures() === 2, 5000, 5)).toBe(true);
      expect(await counted(metrics)).toEqual({ timeout: 2, error: 0 });
      // Not retried, nor sent again on this connection; still in the outbox, so sent on the next.
      expect(client.sent.map((s) => s.seq)).toEqual([1, 2, 3]);
      pump.detach();
      const next = new FakeClient();
      pump.attach(next.asClient());
      expect(next.sent.map((s) => s.seq)).toEqual([1, 2, 3]);

      await writer.release(); // the late commits of 1 and 2 land; the removals below commit within the limit
      // Removed by their own late commits, no later removal needed: a connection now would not resend them.
      await committed(outbox, 1);
      for (const seq of [1, 2, 3]) next.ack(seq);
      await committed(outbox, 0);
      await sleep(2 * LIMIT_MS); // past these removals' limit: one timing out would show by now
      expect(failures()).toBe(2);
      expect(await counted(metrics)).toEqual({ timeout: 2, error: 0 });
    });

    it('when a removal fails otherwise (a commit LMDB refused), then it is logged and counted with reason="error", not as a time-out', async () => {
      const { log, lines } = recordingLogger();
      const refused = new Error('Commit failed (see commitError for details)'); // lmdb-js's, as on a full card
      const { pump, metrics } = await setup(2, 32, log, { remove: () => Promise.reject(refused) });
      const client = new FakeClient();
      pump.attach(client.asClient());
      client.ack(1);
      client.ack(2);
      expect(await waitFor(() => lines.filter((line) => line.msg === FAILED).length === 2, 5000, 5)).toBe(true);
      expect(await counted(metrics)).toEqual({ timeout: 0, error: 2 });
      expect(lines.filter((line) => line.msg === FAILED).map((line) => line.reason)).toEqual(['error', 'error']);
    });

    it('when a removal failed, then the next removal that succeeds removes it again on the same connection, so it is not sent again; a retry that fails counts and is tried after the next success', async () => {
      const { log, lines } = recordingLogger();
      const refused = new Error('Commit failed (see commitError for details)');
      // The card refuses seq 1's removal twice (its own, then the retry after seq 2's success).
      let refusalsOfSeq1 = 2;
      const real: { outbox?: AgentOutbox } = {};
      const calls: number[] = [];
      const remove = (seq: number): Promise<boolean> => {
        calls.push(seq);
        if (seq === 1 && refusalsOfSeq1 > 0) {
          refusalsOfSeq1--;
          return Promise.reject(refused);
        }
        return (real.outbox as AgentOutbox).remove(seq);
      };
      const { outbox, pump, metrics } = await setup(4, 32, log, { remove });
      real.outbox = outbox;
      const client = new FakeClient();
      pump.attach(client.asClient());
      const retried = (): number[] => lines.filter((line) => line.msg === 'outbox removal retried: the entry is gone').map((line) => Number(line.seq));

      client.ack(1);
      expect(await waitFor(() => lines.filter((line) => line.msg === FAILED).length === 1, 5000, 5)).toBe(true);
      client.ack(2); // succeeds; its success retries 1, which the card refuses once more
      expect(await waitFor(() => lines.filter((line) => line.msg === FAILED).length === 2, 5000, 5)).toBe(true);
      await committed(outbox, 3); // 1 still there
      expect(lines.filter((line) => line.msg === FAILED).map((line) => line.retry)).toEqual([false, true]);
      client.ack(3); // succeeds; its success retries 1, which now commits
      expect(await waitFor(() => retried().length === 1, 5000, 5)).toBe(true);
      await committed(outbox, 1);
      expect(retried()).toEqual([1]);
      expect(outbox.peek({ afterSeq: 0, limit: 10 }).map((e) => e.seq)).toEqual([4]);
      expect(calls).toEqual([1, 2, 1, 3, 1]);
      expect(await counted(metrics)).toEqual({ timeout: 0, error: 2 });
      // Nothing went out twice on this connection, and the next one sends only what is left.
      expect(client.sent.map((s) => s.seq)).toEqual([1, 2, 3, 4]);
      pump.detach();
      const next = new FakeClient();
      pump.attach(next.asClient());
      expect(next.sent.map((s) => s.seq)).toEqual([4]);
      // Retried once each time: with nothing left to retry, a later success retries nothing.
      next.ack(4);
      await committed(outbox, 0);
      expect(calls).toEqual([1, 2, 1, 3, 1, 4]);
    });
  });
});
