// Puts the journal's backpressure gate in front of the readings path of authorizePublish. Other
// topics (status, anything a conforming broker carries) are not journaled and pass untouched.
import type { AuthorizePublishHandler } from './aedes-types.js';
import type { JournalBackpressure } from './journal-backpressure.js';
import type { BrokerMetrics } from './metrics.js';

const READINGS_SUFFIX = '/readings';

export function withBackpressure(
  gate: JournalBackpressure,
  metrics: Pick<BrokerMetrics, 'publishesHeld'>,
  authorize: AuthorizePublishHandler,
): AuthorizePublishHandler {
  return (client, packet, callback) => {
    if (!packet.topic.endsWith(READINGS_SUFFIX)) {
      authorize(client, packet, callback);
      return;
    }
    const wait = gate.admit();
    gate.noteAppended();
    if (wait === undefined) {
      authorize(client, packet, callback);
      return;
    }
    metrics.publishesHeld.inc();
    void wait.then(() => authorize(client, packet, callback));
  };
}
