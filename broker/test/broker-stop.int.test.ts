// Graceful stop with devices still connected: SIGTERM must end the broker, not wait for every
// device to hang up by itself.
import { describe, expect, it } from 'vitest';
import { connectAsync } from 'mqtt';
import { startTestBroker } from '../../test/support/test-broker.js';

describe('broker stop', () => {
  it('when clients are still connected, then stop() closes them and resolves', async () => {
    const broker = await startTestBroker();
    const clients = await Promise.all([1, 2, 3].map((i) => connectAsync(broker.mqttUrl, { clientId: `idle-${i}`, reconnectPeriod: 0 })));
    const closed = clients.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve())));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      broker.dispose().then(() => 'stopped'),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still waiting after 10 s'), 10_000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('stopped');
    await Promise.all(closed);
    for (const c of clients) await c.endAsync(true);
  });
});
