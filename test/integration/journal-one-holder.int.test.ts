// One broker and one write service per journal (docs/decisions/002-journal-lmdb.md). Acceptance
// report: a second broker started on the first one's journal made the write service's cursor jump
// past the first broker's later appends, which were then trimmed unwritten. Now the second process
// of a role refuses to start, as a configuration error, and the first carries on.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { encodeContainer } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { makeTempDir, type TempDir } from '../support/temp-dir.js';
import { startTestBroker, type TestBroker } from '../support/test-broker.js';
import { startTestWriteService } from '../support/test-write-service.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** lib/process/report-config-errors.ts; not imported: it would install its exit handler in this worker. */
const CONFIG_ERROR_EXIT_CODE = 2;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs a service's entry point until it exits by itself (or 30 s pass): its exit code and stderr. */
function runUntilExit(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

async function brokerWithFolder(): Promise<{ broker: TestBroker; dir: TempDir }> {
  const broker = await startTestBroker();
  const dir = makeTempDir('one-holder');
  cleanups.push(() => broker.dispose(), () => dir.remove());
  return { broker, dir };
}

describe('one broker and one write service per journal', () => {
  it('when a second broker is started on a running broker\'s journal, then it exits with a configuration error naming the journal and the holder, and the first keeps journaling', async () => {
    const { broker, dir } = await brokerWithFolder();
    const second = await runUntilExit('broker/main.ts', {
      EM_BROKER_AUTH: 'disabled',
      EM_BROKER_MQTT_PORT: '0',
      EM_BROKER_WS_PORT: '0',
      EM_BROKER_METRICS_PORT: '0',
      EM_BROKER_JOURNAL_PATH: broker.config.journalPath,
      EM_BROKER_DEAD_LETTER_PATH: dir.join('dead-letters'),
    });
    expect(second.code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(second.stderr).toContain(`journal ${broker.config.journalPath} is already open as its appender (a broker) by pid ${process.pid}`);

    const client = await connectAsync(broker.mqttUrl, { clientId: 'a-1', reconnectPeriod: 0 });
    const now = Date.now();
    for (let seq = 1; seq <= 10; seq++) {
      const container = { householdId: 'h-1', agentId: 'a-1', seq, createdAtMs: now, measurements: [{ deviceId: 'plug', quantity: 'power_w' as const, value: seq, timestampMs: now }] };
      await client.publishAsync(readingsTopic('h-1', 'a-1'), Buffer.from(encodeContainer(container)), { qos: 1 });
    }
    await client.endAsync();
    expect(broker.journal.depth().entries).toBe(10);
  });

  it('when a second write service is started on a journal that has one, then it exits with a configuration error naming the journal and the holder', async () => {
    const { broker, dir } = await brokerWithFolder();
    const writer = await startTestWriteService({ journalPath: broker.config.journalPath, database: 'one_holder', deadLetterPath: dir.join('write-dead-letters') });
    cleanups.push(() => writer.stop());
    const second = await runUntilExit('services/write/main.ts', {
      EM_WRITE_INFLUX_URL: inject('influxUrl'),
      EM_WRITE_INFLUX_DB: 'one_holder',
      EM_WRITE_JOURNAL_PATH: broker.config.journalPath,
      EM_WRITE_DEAD_LETTER_PATH: dir.join('second-dead-letters'),
      EM_WRITE_METRICS_PORT: '0',
    });
    expect(second.code).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(second.stderr).toContain(`journal ${broker.config.journalPath} is already open as its consumer (a write service) by pid ${process.pid}`);
  });
});
