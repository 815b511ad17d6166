// A bound on the QoS 1/2 messages Aedes keeps for one persistent session (CleanSession 0).
//
// Aedes stores every QoS > 0 message for each persistent subscriber in its persistence (memory
// here) until that subscriber acknowledges it: while the client is offline, and while it is
// online but does not send PUBACK. Nothing limits that queue. An acceptance test with a clean=0
// subscriber on `em/v1/#` that went offline grew the broker by 580 MB in 15 s. MQTT 3.1.1 §4.1
// notes that stored session state has capacity limits and administrative policies; like
// Mosquitto's max_queued_messages, past the bound a session's new messages are dropped and
// counted, and what is queued is kept. Readings themselves are never lost by this: they are in
// the journal before their PUBACK.
//
// The count per client id follows the persistence: +1 per message queued, −1 per message its
// outgoingClearMessageId actually removes (it returns the packet), and re-set from the length of
// the copy of the queue outgoingStream hands out when a session resumes (the copy is the truth;
// changes made while it is read are added to it).
import { Readable } from 'node:stream';
import type { Aedes, Client } from 'aedes';
import type { Logger } from '../lib/log.js';

interface Subscriber {
  readonly clientId: string;
}

/** The persistence methods this wraps (aedes-persistence's MemoryPersistence, async API). */
interface QueuePersistence {
  outgoingEnqueue(sub: Subscriber, packet: unknown): Promise<void>;
  outgoingEnqueueCombi(subs: readonly Subscriber[], packet: unknown): Promise<void>;
  outgoingClearMessageId(client: Client, packet: unknown): Promise<unknown>;
  outgoingStream(client: Client): Readable;
}

export interface SessionQueueBoundOptions {
  readonly maxMessagesPerSession: number;
  /** Told of each message not queued for a session that is full (a metric). */
  readonly onDropped: () => void;
  readonly log: Logger;
}

/** Makes `aedes` keep at most `maxMessagesPerSession` unacknowledged messages per persistent session. */
export function boundSessionQueues(aedes: Aedes, options: SessionQueueBoundOptions): void {
  const persistence = (aedes as unknown as { persistence: QueuePersistence }).persistence;
  const queued = new Map<string, number>();
  // Logged once per session that fills up (again after its client reconnects), not per message.
  const fullSessions = new Set<string>();
  aedes.on('client', (client) => fullSessions.delete(client.id));
  const admit = (clientId: string): boolean => {
    const count = queued.get(clientId) ?? 0;
    if (count >= options.maxMessagesPerSession) {
      options.onDropped();
      if (!fullSessions.has(clientId)) {
        fullSessions.add(clientId);
        options.log.warn({ clientId, max: options.maxMessagesPerSession }, 'persistent session full: dropping its new messages until it acknowledges some');
      }
      return false;
    }
    queued.set(clientId, count + 1);
    return true;
  };

  const enqueue = persistence.outgoingEnqueue.bind(persistence);
  const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  const stream = persistence.outgoingStream.bind(persistence);

  persistence.outgoingEnqueue = async (sub, packet) => {
    if (admit(sub.clientId)) await enqueue(sub, packet);
  };
  persistence.outgoingEnqueueCombi = async (subs, packet) => {
    const admitted = subs.filter((sub) => admit(sub.clientId));
    if (admitted.length > 0) await enqueueCombi(admitted, packet);
  };
  persistence.outgoingClearMessageId = async (client, packet) => {
    const removed = await clear(client, packet);
    const count = queued.get(client.id);
    if (removed !== undefined && count !== undefined) {
      if (count <= 1) queued.delete(client.id);
      else queued.set(client.id, count - 1);
    }
    return removed;
  };
  persistence.outgoingStream = (client) => {
    // The persistence copies the queue here, synchronously; what is queued or acknowledged while
    // the copy is read is counted as it happens, so it is added to the copy's length, not lost.
    const countAtCopy = queued.get(client.id) ?? 0;
    const stored = stream(client);
    return Readable.from(
      (async function* counted() {
        let copied = 0;
        for await (const packet of stored) {
          copied++;
          yield packet as unknown;
        }
        const count = copied + (queued.get(client.id) ?? 0) - countAtCopy;
        if (count <= 0) queued.delete(client.id);
        else queued.set(client.id, count);
      })(),
      { objectMode: true },
    );
  };
}
