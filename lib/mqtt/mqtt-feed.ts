// A service's one MQTT connection for live readings (read service's live hub, alerts service):
// subscribe and unsubscribe topic filters, and hear messages and reconnects. QoS 0: a live view
// wants the newest reading now; what is missed is recovered from history (the read service's
// `resync` event; the alerts service's re-seed from InfluxDB after a reconnect).
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface LiveFeed {
  subscribe(filter: string): Promise<void>;
  unsubscribe(filter: string): Promise<void>;
  onMessage(handler: (topic: string, payload: Buffer) => void): void;
  /** Called after the connection came back: messages in between are lost. */
  onReconnect(handler: () => void): void;
  /** Whether the connection is up now (the alerts service pauses silence detection while it is not). */
  isConnected?(): boolean;
  close(): Promise<void>;
}

export interface MqttFeedOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Fetches a fresh password (a service access token) before each (re)connect. */
  readonly passwordProvider?: () => Promise<string>;
  readonly clientId?: string;
  /** Prefix of the random client id used without a username (default `read`). */
  readonly clientIdPrefix?: string;
  readonly reconnectMs?: number;
}

export async function connectMqttFeed(options: MqttFeedOptions): Promise<LiveFeed> {
  const password = options.passwordProvider !== undefined ? await options.passwordProvider() : options.password;
  const clientOptions: IClientOptions = {
    clean: true,
    reconnectPeriod: options.reconnectMs ?? 1_000,
    connectTimeout: 10_000,
    // The broker binds token holders' client ids to `{sub}:…` or a server-assigned one (empty).
    clientId: options.clientId ?? (options.username === undefined ? `${options.clientIdPrefix ?? 'read'}-${crypto.randomUUID()}` : ''),
    ...(options.username === undefined ? {} : { username: options.username, password }),
  };
  const client: MqttClient = await mqtt.connectAsync(options.url, clientOptions);
  const provider = options.passwordProvider;
  if (provider !== undefined) {
    // Tokens expire and the broker then closes the connection: refresh before mqtt.js reconnects.
    client.on('close', () => {
      provider().then(
        (fresh) => {
          client.options.password = fresh;
        },
        () => undefined,
      );
    });
  }
  return {
    async subscribe(filter) {
      const granted = await client.subscribeAsync(filter, { qos: 0 });
      if (granted.some((g) => g.qos === 128)) throw new Error(`the broker refused the subscription to ${filter}`);
    },
    async unsubscribe(filter) {
      await client.unsubscribeAsync(filter);
    },
    onMessage(handler) {
      client.on('message', (topic, payload) => handler(topic, payload));
    },
    onReconnect(handler) {
      let first = true;
      client.on('connect', () => {
        if (!first) handler();
        first = false;
      });
      if (!client.connected) first = false;
    },
    isConnected: () => client.connected,
    close: () => client.endAsync(),
  };
}
