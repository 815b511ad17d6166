// A fleet of simulated agents against a bare Aedes broker: the API the load test and the loss
// checker build on.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { startFleet } from '../fleet.js';
import { fleetIdentities } from '../fleet-identities.js';
import { readingsPerSample } from '../sources/household-plan.js';
import { startBareAedes } from './bare-aedes.js';

describe('fleet', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('names households and agents with prefixes and zero-padded numbers', () => {
    const ids = fleetIdentities({ brokerUrl: 'mqtt://x', dataDir: '/tmp', agents: 3, firstIndex: 9999, seed: 10 });
    expect(ids).toEqual([
      { householdId: 'h-09999', agentId: 'a-09999', seed: 10_009, agentInHousehold: 0 },
      { householdId: 'h-10000', agentId: 'a-10000', seed: 10_010, agentInHousehold: 0 },
      { householdId: 'h-10001', agentId: 'a-10001', seed: 10_011, agentInHousehold: 0 },
    ]);
  });

  it('when agents are provisioned, then each uses its own ids and secret', async () => {
    const aedes = await startBareAedes();
    cleanups.push(() => aedes.close());
    const provisioned = [
      { householdId: 'house-a', agentId: 'pi-a', secret: 'secret-a' },
      { householdId: 'house-b', agentId: 'pi-b', secret: 'secret-b' },
    ];
    const logins: string[] = [];
    aedes.aedes.authenticate = (_client, username, password, done) => {
      const ok = provisioned.some((p) => p.agentId === username && p.secret === password?.toString());
      logins.push(`${username ?? ''}:${ok}`);
      done(null, ok);
    };
    const dir = makeTempDir('fleet');
    cleanups.push(() => dir.remove());
    const fleet = await startFleet({ brokerUrl: aedes.url, dataDir: dir.path, agents: 99, provisioned, publishIntervalMs: 100, startJitterMs: 50, stopAfterContainers: 2 });
    cleanups.push(() => fleet.stop());

    await fleet.waitUntilAllAcked(10_000);
    expect(fleet.identities.map((i) => [i.householdId, i.agentId])).toEqual([['house-a', 'pi-a'], ['house-b', 'pi-b']]);
    expect(new Set(logins)).toEqual(new Set(['pi-a:true', 'pi-b:true']));
    expect(new Set(aedes.readings.map((c) => `${c.householdId}/${c.agentId}`))).toEqual(new Set(['house-a/pi-a', 'house-b/pi-b']));
  });

  it('when every agent has sealed its containers, then all are acknowledged and recorded', async () => {
    const aedes = await startBareAedes();
    cleanups.push(() => aedes.close());
    const dir = makeTempDir('fleet');
    cleanups.push(() => dir.remove());
    const fleet = await startFleet({
      brokerUrl: aedes.url,
      dataDir: dir.path,
      agents: 6,
      publishIntervalMs: 100,
      devices: 7,
      startJitterMs: 100,
      stopAfterContainers: 4,
    });
    cleanups.push(() => fleet.stop());

    const stats = await fleet.waitUntilAllAcked(10_000);
    expect(stats.totals).toMatchObject({ agents: 6, connected: 6, sealed: 24, pending: 0, inFlight: 0, dropped: 0 });
    expect(stats.totals.acked).toBeGreaterThanOrEqual(24);

    const produced = fleet.production.all();
    expect(produced).toHaveLength(24);
    expect(fleet.production.totals()).toEqual({ containers: 24, readings: 24 * readingsPerSample(7) });
    for (const { agentId } of fleet.identities) {
      expect(fleet.production.forAgent(agentId).map((p) => p.seq)).toEqual([1, 2, 3, 4]);
    }
    const arrived = new Set(aedes.readings.map((c) => `${c.householdId}/${c.agentId}/${c.seq}/${c.measurements.length}`));
    expect(arrived).toEqual(new Set(produced.map((p) => `${p.householdId}/${p.agentId}/${p.seq}/${p.readings}`)));
  });

  it('when the broker is unreachable, then waitUntilAllAcked rejects with the totals', async () => {
    const dir = makeTempDir('fleet');
    cleanups.push(() => dir.remove());
    const fleet = await startFleet({
      brokerUrl: 'mqtt://127.0.0.1:1',
      dataDir: dir.path,
      agents: 2,
      publishIntervalMs: 50,
      startJitterMs: 0,
      stopAfterContainers: 1,
      backoff: { baseMs: 10, capMs: 50 },
    });
    cleanups.push(() => fleet.stop({ drainTimeoutMs: 50 }));
    await expect(fleet.waitUntilAllAcked(400)).rejects.toThrow(/not all acknowledged.*"pending":2/);
  });
});
