// An outbox flush the SD card does not confirm, as the agent sees it: an error line naming the
// limit and the data folder, em_agent_outbox_flush_timeouts_total, and one call to stop the agent
// (main.ts then exits 1 for systemd to start it again; a fleet process does the same). The outbox
// is real (LMDB in a temp folder); its flush never settles.
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { createAgentMetrics } from '../agent-metrics.js';
import { watchOutboxFlushes } from '../outbox-flush-watch.js';
import { openOutboxStore, type ContainerDraft } from '../outbox.js';
import { recordingLogger } from './recording-logger.js';

const dirs: TempDir[] = [];
afterAll(() => dirs.forEach((dir) => dir.remove()));

const ERROR = 50;
const draft = (agentId: string): ContainerDraft => ({
  householdId: 'h-1',
  agentId,
  createdAtMs: 1000,
  measurements: [{ deviceId: 'fridge', quantity: 'power_w', value: 90, timestampMs: 1000 }],
});

describe('outbox flush watch', () => {
  it('when the SD card does not confirm an outbox flush within the limit, then the agent logs it naming the limit and the data folder, counts it and is told to stop, once', async () => {
    const dir = makeTempDir('outbox-flush-watch');
    dirs.push(dir);
    const { log, lines } = recordingLogger();
    const registry = new Registry();
    const metrics = createAgentMetrics(registry, () => 0);
    const stops: Error[] = [];
    const overdue = watchOutboxFlushes({ log, metrics, dataDir: dir.path, onUnconfirmed: (err) => stops.push(err) });
    const store = openOutboxStore(dir.join('outbox.mdb'), { flushTimeoutMs: 200, flushed: () => new Promise(() => undefined), onFlushOverdue: overdue });

    // Two agents of one fleet waiting on the same flush, then one more seal attempt.
    await Promise.allSettled([store.forAgent('a-1').append(draft('a-1')), store.forAgent('a-2').append(draft('a-2'))]);
    await expect(store.forAgent('a-1').append(draft('a-1'))).rejects.toThrow(/did not confirm a flush within 200 ms/);

    const errors = lines.filter((line) => line.level >= ERROR);
    expect(errors).toEqual([expect.objectContaining({ agentId: 'a-1', seq: 1, timeoutMs: 200, dataDir: dir.path })]);
    expect(errors[0]?.msg).toMatch(/^the outbox's disk did not confirm a flush in 200 ms \(/);
    expect(errors[0]?.msg).toContain(`(${dir.path})`);
    expect(await registry.getSingleMetricAsString('em_agent_outbox_flush_timeouts_total')).toMatch(/ 1$/m);
    expect(stops.map((err) => err.message)).toEqual(['outbox append: the disk did not confirm a flush within 200 ms (agent a-1, seq 1)']);
    await store.close();
  });
});
