// The MQTT.js clients a test opens, ended after it (in afterEach) whether it passed or not, so a
// failed assertion leaves no socket open to hold up the broker's dispose or the next test.
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

export interface OpenClients {
  /** Connects (without reconnecting: a test wants to see a refusal, not a retry) and keeps the client. */
  connect(url: string, options?: IClientOptions): Promise<MqttClient>;
  /** Keeps clients connected some other way. */
  keep(...clients: MqttClient[]): void;
  /** Ends every kept client; forced by default (nothing waits for in-flight messages). */
  endAll(options?: { readonly force?: boolean }): Promise<void>;
}

export function openClients(): OpenClients {
  const open: MqttClient[] = [];
  return {
    async connect(url, options = {}) {
      const client = await connectAsync(url, { reconnectPeriod: 0, ...options });
      open.push(client);
      return client;
    },
    keep: (...clients) => void open.push(...clients),
    async endAll({ force = true } = {}) {
      await Promise.all(open.splice(0).map((c) => c.endAsync(force)));
    },
  };
}
