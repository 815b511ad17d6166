// Aedes' preConnect hook sees the CONNECT packet, which authenticate() does not. We note the two
// facts authentication needs from it: the will topic and whether the client chose its own id.
import type { Client } from 'aedes';
import type { PreConnectHandler } from './aedes-types.js';

export interface ConnectFacts {
  /** Topic of the will message, when the CONNECT carries one [MQTT-3.1.2-9]. */
  readonly willTopic?: string;
  /** True when the client sent a zero-length client id and the server assigns one [MQTT-3.1.3-6]. */
  readonly serverAssignedId: boolean;
}

export interface ConnectFactsRegistry {
  readonly preConnect: PreConnectHandler;
  get(client: Client): ConnectFacts;
}

export function createConnectFacts(): ConnectFactsRegistry {
  const facts = new WeakMap<Client, ConnectFacts>();
  return {
    preConnect(client, packet, callback) {
      facts.set(client, { willTopic: packet.will?.topic, serverAssignedId: packet.clientId.length === 0 });
      callback(null, true);
    },
    // No record means preConnect did not run for this client: assume the strictest reading.
    get: (client) => facts.get(client) ?? { serverAssignedId: false },
  };
}
