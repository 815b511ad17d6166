import { describe, expect, it } from 'vitest';
import { startTestBroker } from '../../test/support/test-broker.js';
import { connectRawPublisher } from './raw-mqtt-publisher.js';
import { buildPayload } from '../perftest/payload.js';
import { readingsTopic } from '../../proto/topics.js';

describe('raw MQTT publisher against our broker', () => {
  it('when containers are published at QoS1, then every one is acknowledged after it is journaled', async () => {
    const broker = await startTestBroker();
    try {
      const publisher = await connectRawPublisher(broker.mqttUrl, 'raw-publisher-test');
      const now = Date.now();
      const acked = await new Promise<number>((resolve) => {
        let count = 0;
        for (let seq = 1; seq <= 200; seq++) {
          publisher.publish(readingsTopic('raw-pub', 'a1'), buildPayload({ householdId: 'raw-pub', agentId: 'a1', baseMs: now }, seq, 3, 0, now), () => {
            if (++count === 200) resolve(count);
          });
        }
      });
      expect(acked).toBe(200);
      expect(publisher.inFlight()).toBe(0);
      expect(broker.journal.depth().entries).toBe(200);
      await publisher.close();
    } finally {
      await broker.dispose();
    }
  });
});
