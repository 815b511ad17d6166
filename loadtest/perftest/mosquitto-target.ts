// Mosquitto as a perftest target. Mosquitto has no journal, so "stored" is what a persistent-session
// QoS1 subscriber (`em/v1/+/+/readings`) received: the closest analogue of our journal, which the
// write service drains. Mosquitto acknowledges before anything reaches disk (it saves its
// persistence file periodically and at shutdown); the report says so next to the numbers.
import { connectAsync } from 'mqtt';
import { startMosquitto } from '../../infra/mosquitto.js';

export interface MosquittoTarget {
  readonly url: string;
  readonly pid: number;
  readonly received: () => Promise<number>;
  stop(): Promise<void>;
}

export async function startMosquittoTarget(dataDir: string): Promise<MosquittoTarget> {
  const mosquitto = await startMosquitto({ dataDir });
  try {
    const subscriber = await connectAsync(mosquitto.url, { clientId: 'perftest-drain', clean: false, reconnectPeriod: 0 });
    let received = 0;
    subscriber.on('message', () => received++);
    await subscriber.subscribeAsync('em/v1/+/+/readings', { qos: 1 });
    return {
      url: mosquitto.url,
      pid: mosquitto.pid,
      received: () => Promise.resolve(received),
      stop: async () => {
        await subscriber.endAsync();
        await mosquitto.stop();
      },
    };
  } catch (error) {
    await mosquitto.stop();
    throw error;
  }
}
