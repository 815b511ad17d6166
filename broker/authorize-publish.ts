// The one Aedes hook that runs before a QoS1 PUBACK (lib/handlers/publish.js acks after it):
// so "acknowledged ⇒ durable" is enforced here. A readings publish is validated and appended to
// the journal; only when the journal commit is on disk do we let Aedes send the PUBACK.
import type { AuthorizePublishHandler } from './aedes-types.js';
import type { DeadLetterStore } from '../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { clipForLog, containerCorrelationId, type Logger } from '../lib/log.js';
import { decodeContainer } from '../proto/container.js';
import { parseAgentTopic, type AgentTopic } from '../proto/topics.js';
import type { BrokerMetrics } from './metrics.js';
import type { ForwardEarly } from './forward-early.js';
import type { HeldBackPayloads } from './held-back-payloads.js';
import { checkReadingsPublish, type ValidationLimits, type Verdict } from './validate-container.js';
import type { AgentDeviceBound } from './agent-device-bound.js';
import { DeviceIdHashes } from './device-id-hashes.js';

export interface AuthorizePublishDeps {
  readonly journal: ContainerJournal;
  readonly deadLetters: DeadLetterStore;
  readonly heldBack: HeldBackPayloads;
  /** Set: valid readings reach live subscribers before their journal commit (forward-early.ts). */
  readonly forwardEarly?: ForwardEarly;
  readonly metrics: BrokerMetrics;
  readonly limits: ValidationLimits;
  /** Set: distinct device ids per agent are bounded (agent-device-bound.ts). */
  readonly deviceBound?: AgentDeviceBound;
  readonly clock: () => number;
  readonly log: Logger;
}

const SYS_PREFIX = '$SYS/';

/** A valid container's correlation id (lib/log.ts), decoded only for the log lines that show it. */
function correlationIdOf(payload: Uint8Array): string {
  return containerCorrelationId(decodeContainer(payload));
}

export function createAuthorizePublish(deps: AuthorizePublishDeps): AuthorizePublishHandler {
  const { deviceBound } = deps;
  // One for every publish: each is checked and counted synchronously, before the next.
  const devices = deviceBound === undefined ? undefined : new DeviceIdHashes();
  /** The container's own check, then its agent's device bound (keyed by its topic, which names household and agent). */
  function verdictOf(topic: AgentTopic, topicName: string, payload: Uint8Array): Verdict {
    const nowMs = deps.clock();
    const verdict = checkReadingsPublish(topic, payload, nowMs, deps.limits, devices);
    if (!verdict.ok || deviceBound === undefined || devices === undefined) return verdict;
    const tooMany = deviceBound.admit(topicName, devices, nowMs);
    return tooMany === undefined ? verdict : { ok: false, reason: 'too-many-devices', detail: tooMany };
  }

  return (client, packet, callback) => {
    // [MQTT-4.7.2-1] $-topics are the server's; a client may not publish into them.
    if (packet.topic.startsWith(SYS_PREFIX)) {
      deps.metrics.publishesIn.inc({ kind: 'sys', outcome: 'refused' });
      callback(new Error(`${SYS_PREFIX} topics are reserved`));
      return;
    }
    const topic = parseAgentTopic(packet.topic);
    if (topic?.kind !== 'readings') {
      deps.metrics.publishesIn.inc({ kind: topic === undefined ? 'other' : topic.kind, outcome: 'accepted' });
      callback(null);
      return;
    }
    const startedAt = performance.now();
    const payload = packet.payload as Buffer;
    deps.metrics.countReadingsBytes(payload.byteLength);
    const verdict = verdictOf(topic, packet.topic, payload);
    if (verdict.ok) {
      deps.forwardEarly?.forward(packet.topic, payload, packet.qos);
      deps.journal.appendContainer(payload).then(
        (key) => {
          deps.metrics.journalAppendSeconds.observe((performance.now() - startedAt) / 1000);
          deps.metrics.countJournaled();
          // The first hop of a container's trail (correlation id: lib/log.ts); debug, it is per message.
          if (deps.log.isLevelEnabled('debug')) deps.log.debug({ cid: correlationIdOf(payload), journalKey: key }, 'container journaled');
          callback(null);
        },
        (err: unknown) => {
          // Not durable ⇒ no PUBACK. Erroring closes the connection; the agent keeps the container
          // in its outbox and resends after reconnecting.
          deps.metrics.publishesIn.inc({ kind: 'readings', outcome: 'journal-error' });
          deps.log.error({ err, topic: clipForLog(packet.topic), cid: correlationIdOf(payload) }, 'journal append failed; closing connection without PUBACK');
          callback(err instanceof Error ? err : new Error(String(err)));
        },
      );
      return;
    }
    // Refused: acknowledge anyway (resending would not make it valid, and would block the agent's
    // outbox), keep it in the dead-letter store, and make sure it is never forwarded.
    deps.heldBack.holdBack(payload);
    deps.metrics.publishesIn.inc({ kind: 'readings', outcome: 'dead-lettered' });
    deps.metrics.deadLetters.inc({ reason: verdict.reason });
    deps.log.warn({ clientId: client === null ? undefined : clipForLog(client.id), topic: clipForLog(packet.topic), reason: verdict.reason, detail: clipForLog(verdict.detail, 500) }, 'readings publish refused');
    deps.deadLetters
      .record({ source: 'broker', reason: verdict.reason, detail: verdict.detail, topic: packet.topic, clientId: client?.id, payload })
      .then(
        () => callback(null),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
  };
}
