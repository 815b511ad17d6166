import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir.js';
import { isProcessAlive } from '../process-tools.js';
import { startMosquitto, type RunningMosquitto } from '../mosquitto.js';

let dir: TempDir;
let mosquitto: RunningMosquitto;

beforeAll(async () => {
  dir = makeTempDir('mosquitto');
  mosquitto = await startMosquitto({ dataDir: dir.path });
});

afterAll(async () => {
  await mosquitto?.stop();
  dir?.remove();
});

describe('private Mosquitto', () => {
  it('when started, then a QoS1 publish is acknowledged and delivered to a subscriber', async () => {
    const subscriber = await connectAsync(mosquitto.url, { clientId: 'sub', clean: false, reconnectPeriod: 0 });
    const publisher = await connectAsync(mosquitto.url, { clientId: 'pub', reconnectPeriod: 0 });
    try {
      await subscriber.subscribeAsync('em/v1/+/+/readings', { qos: 1 });
      const received = new Promise<string>((resolve) => subscriber.once('message', (topic) => resolve(topic)));
      // MQTT.js resolves a QoS1 publish only once its PUBACK arrived.
      await publisher.publishAsync('em/v1/h1/a1/readings', Buffer.from([1, 2, 3]), { qos: 1 });
      expect(await received).toBe('em/v1/h1/a1/readings');
    } finally {
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    }
  });

  it('when stopped, then the process is gone', async () => {
    const pid = mosquitto.pid;
    await mosquitto.stop();
    expect(await isProcessAlive(pid)).toBe(false);
  });
});
