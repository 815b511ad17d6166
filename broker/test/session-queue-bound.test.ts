// The per-session count behind EM_BROKER_MAX_QUEUED_MESSAGES_PER_SESSION, against Aedes' own
// memory persistence, when messages are queued or acknowledged while a resumed session's queue
// is being streamed back.
import { afterEach, describe, expect, it } from 'vitest';
import { Aedes, type Client } from 'aedes';
import { boundSessionQueues } from '../session-queue-bound.js';
import { silentLogger } from '../../lib/log.js';

interface Queue {
  outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void>;
  outgoingUpdate(client: Client, packet: unknown): Promise<void>;
  outgoingClearMessageId(client: Client, packet: unknown): Promise<unknown>;
  outgoingStream(client: Client): AsyncIterable<unknown>;
}

const client = { id: 'away' } as unknown as Client;
const sub = { clientId: 'away', topic: 'chat/#', qos: 1 };

let aedes: Aedes | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (aedes ? aedes.close(() => resolve()) : resolve()));
  aedes = undefined;
});

/** A broker with its default (memory) persistence, no listener: the queue is driven directly. */
async function setup(max: number): Promise<{ queue: Queue; dropped: () => number }> {
  aedes = await Aedes.createBroker();
  let dropped = 0;
  boundSessionQueues(aedes, { maxMessagesPerSession: max, onDropped: () => dropped++, log: silentLogger() });
  return { queue: (aedes as unknown as { persistence: Queue }).persistence, dropped: () => dropped };
}

const packet = (n: number): object => ({
  cmd: 'publish', topic: 'chat/x', payload: Buffer.from(`m${n}`), qos: 1, retain: false, dup: false,
  brokerId: 'b', brokerCounter: n, messageId: n,
});

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of stream) n++;
  return n;
}

describe('boundSessionQueues', () => {
  it('when messages are queued while the resumed session\'s queue streams back, then they still count against the bound', async () => {
    const { queue, dropped } = await setup(6);
    for (let i = 1; i <= 3; i++) await queue.outgoingEnqueue(sub, packet(i));
    const resumed = queue.outgoingStream(client);
    // Two more arrive after the copy was taken, before it is read to its end.
    for (let i = 4; i <= 5; i++) await queue.outgoingEnqueue(sub, packet(i));
    expect(await drain(resumed)).toBe(3);
    // Five are queued, so one more fits and the next is dropped.
    await queue.outgoingEnqueue(sub, packet(6));
    await queue.outgoingEnqueue(sub, packet(7));
    expect(dropped()).toBe(1);
  });

  it('when messages are acknowledged while the queue streams back, then the room they free is not lost', async () => {
    const { queue, dropped } = await setup(3);
    for (let i = 1; i <= 3; i++) {
      await queue.outgoingEnqueue(sub, packet(i));
      // As Aedes does when it sends a queued message: the packet id it chose is stored with it.
      await queue.outgoingUpdate(client, packet(i));
    }
    const resumed = queue.outgoingStream(client);
    await queue.outgoingClearMessageId(client, { messageId: 1 });
    await queue.outgoingClearMessageId(client, { messageId: 2 });
    expect(await drain(resumed)).toBe(3);
    // One is left, so two more fit.
    await queue.outgoingEnqueue(sub, packet(4));
    await queue.outgoingEnqueue(sub, packet(5));
    expect(dropped()).toBe(0);
    await queue.outgoingEnqueue(sub, packet(6));
    expect(dropped()).toBe(1);
  });
});
