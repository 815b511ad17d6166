// The agent on a link that dies silently with several publishes in flight: the keep-alive timeout
// must end in a reconnect and a full delivery, never in a crash (MQTT.js 5 fails the in-flight
// publishes from inside its own loop over them; see mqtt/outbox-pump.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { createAgent } from '../agent.js';
import { openOutboxStore } from '../outbox.js';
import { createSimulatedHousehold } from '../sources/simulated-household.js';
import { startBareAedes } from './bare-aedes.js';
import { startBlackholeProxy } from './blackhole-proxy.js';
import { eventually } from './eventually.js';
import { recordingLogger, WARN } from './recording-logger.js';

describe('device agent on a silently dead link', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    process.off('uncaughtException', onUncaught);
  });

  it('when a keep-alive timeout finds the link dead with several publishes in flight, then the agent reconnects, delivers everything and warns once', async () => {
    process.on('uncaughtException', onUncaught);
    const aedes = await startBareAedes();
    cleanups.push(() => aedes.close());
    const proxy = await startBlackholeProxy(aedes.port);
    cleanups.push(() => proxy.close());
    const dir = makeTempDir('dead-link');
    cleanups.push(() => dir.remove());
    const store = openOutboxStore(dir.join('outbox.mdb'));
    cleanups.push(() => store.close());
    const { log, lines } = recordingLogger();
    const agent = createAgent({
      householdId: 'h-0001',
      agentId: 'a-0001',
      brokerUrl: proxy.url,
      source: createSimulatedHousehold({ seed: 1, devices: 2 }),
      outbox: store.forAgent('a-0001'),
      publishIntervalMs: 100,
      sampleIntervalMs: 100,
      keepaliveS: 1,
      backoff: { baseMs: 20, capMs: 100 },
      log,
    });
    cleanups.push(() => agent.stop({ drainTimeoutMs: 200 }));
    agent.start();
    await eventually('a first container is acknowledged', () => agent.stats().acked >= 1, () => agent.stats());

    proxy.blackhole();
    await eventually('3 publishes are in flight on the dead link', () => agent.stats().inFlight >= 3, () => agent.stats());
    // Keep-alive 1 s: MQTT.js gives up 1.5 s after the last packet it received.
    await eventually('the agent reconnected', () => agent.stats().reconnects >= 1 && agent.stats().connected, () => agent.stats(), 10_000);
    const sealed = agent.stats().sealed;
    await eventually('everything sealed so far is acknowledged', () => agent.stats().acked >= sealed && agent.stats().pending <= 2, () => agent.stats(), 10_000);

    expect(uncaught).toEqual([]);
    const seqs = new Set(aedes.readings.map((c) => c.seq));
    for (let seq = 1; seq <= sealed; seq++) expect(seqs.has(seq)).toBe(true);
    const failures = lines.filter((line) => line.msg === 'publish failed; reconnecting');
    expect(failures.filter((line) => line.level >= WARN)).toHaveLength(1);
  });
});
