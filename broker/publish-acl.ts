// The topic ACL in front of authorizePublish (broker/topic-acl.ts decides). It runs for every
// PUBLISH and also for a will when Aedes publishes it after an unclean disconnect (aedes
// lib/client.js close → authorizePublish(client, will)), so a will can never reach a foreign topic;
// broker/authenticate.ts refuses such a will already at CONNECT.
//
// A refused PUBLISH closes the connection: MQTT 3.1.1 has no negative PUBACK, and the server must
// either acknowledge or close [MQTT-3.3.5-2]. Acknowledging would tell the agent its reading was
// stored; closing makes a misconfigured agent visible and keeps it from discarding the data.
import type { Logger } from '../lib/log.js';
import type { AuthorizePublishHandler } from './aedes-types.js';
import type { PrincipalRegistry } from './connected-principal.js';
import type { BrokerMetrics } from './metrics.js';
import { publishVerdict } from './topic-acl.js';

export function withPublishAcl(
  principals: PrincipalRegistry,
  metrics: Pick<BrokerMetrics, 'publishesRefused'>,
  log: Logger,
  authorize: AuthorizePublishHandler,
): AuthorizePublishHandler {
  return (client, packet, callback) => {
    const verdict = publishVerdict(principals.get(client), packet.topic);
    if (verdict.ok) {
      authorize(client, packet, callback);
      return;
    }
    metrics.publishesRefused.inc({ reason: verdict.reason });
    log.warn({ clientId: client?.id, topic: packet.topic, reason: verdict.reason }, 'publish refused: closing connection');
    callback(new Error(`publish to ${packet.topic} not authorized: ${verdict.reason}`));
  };
}
