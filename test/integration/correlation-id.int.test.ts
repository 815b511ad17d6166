// A container's correlation id (lib/log.ts: household/agent/seq) follows it through the JSON logs:
// broker "container journaled" → write "batch assembled" → "batch stored (InfluxDB 204)".
import { Writable } from 'node:stream';
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Logger } from '../../lib/log.js';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { createWriteService, type WriteService } from '../../services/write/app.js';
import { loadWriteConfig } from '../../services/write/config.js';
import { createTestInfluxDatabase } from '../support/influx-database.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestBroker } from '../support/test-broker.js';

type LogLine = { msg: string; cid?: string; cids?: string[]; name?: string };

/** A debug-level pino logger whose JSON lines land in `lines`. */
function capturingLogger(name: string, lines: LogLine[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return pino({ name, level: 'debug', base: { name } }, sink);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('correlation ids', () => {
  it('when a container travels broker → journal → write service → InfluxDB, then every hop logs its household/agent/seq id', async () => {
    const lines: LogLine[] = [];
    const dir = makeTempDir('correlation');
    cleanups.push(() => dir.remove());
    const broker = await startTestBroker({}, { log: capturingLogger('broker', lines) });
    cleanups.push(() => broker.dispose());
    const db = await createTestInfluxDatabase('correlation');
    cleanups.push(() => db.drop());
    const write: WriteService = createWriteService(
      loadWriteConfig({
        EM_WRITE_INFLUX_URL: inject('influxUrl'),
        EM_WRITE_INFLUX_DB: db.database,
        EM_WRITE_JOURNAL_PATH: broker.config.journalPath,
        EM_WRITE_DEAD_LETTER_PATH: dir.join('write-dead-letters'),
        EM_WRITE_METRICS_PORT: '0',
      }),
      { log: capturingLogger('write', lines) },
    );
    await write.start();
    cleanups.push(() => write.stop());

    const client = await connectAsync(broker.mqttUrl, { clientId: 'corr-agent' });
    cleanups.push(() => client.endAsync());
    const now = Date.now();
    const container = { householdId: 'hh-corr', agentId: 'agent-7', seq: 42, createdAtMs: now, measurements: [{ deviceId: 'fridge', quantity: 'power_w' as const, value: 80, timestampMs: now }] };
    await client.publishAsync(readingsTopic('hh-corr', 'agent-7'), Buffer.from(encodeContainer(container)), { qos: 1 });

    const cid = 'hh-corr/agent-7/42';
    const stored = () => lines.some((line) => line.msg.startsWith('batch stored') && line.cids?.includes(cid));
    await expect.poll(stored, { timeout: 30_000, interval: 100 }).toBe(true);
    const trail = lines.filter((line) => line.cid === cid || line.cids?.includes(cid)).map((line) => `${line.name}: ${line.msg}`);
    expect(trail).toEqual([
      'broker: container journaled',
      'write: batch assembled',
      'write: batch stored (InfluxDB 204) and removed from the journal',
    ]);
  });
});
