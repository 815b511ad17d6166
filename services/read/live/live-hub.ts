// Subscription-aware fan-out: the MQTT connection subscribes to a household's readings only while
// someone watches it, and unsubscribes when the last viewer leaves. Each message is decoded once
// and written to every viewer of that household; a viewer that cannot keep up drops its own events
// (sse-connection.ts). Recent events are kept per household for Last-Event-ID resume.
import { decodeContainer } from '../../../proto/container.js';
import { parseAgentTopic } from '../../../proto/topics.js';
import type { Logger } from '../../../lib/log.js';
import { EventRing } from './event-ring.js';
import type { LiveFeed } from './live-feed.js';
import type { SseConnection } from './sse-connection.js';

export interface LiveHubMetrics {
  viewers(delta: number): void;
  subscriptions(delta: number): void;
  undecodable(): void;
}

interface Watched {
  ring: EventRing;
  readonly viewers: Set<SseConnection>;
  readonly ready: Promise<void>;
  /** Set while nobody watches but the subscription lingers for a returning viewer. */
  linger?: NodeJS.Timeout;
}

export interface LiveHubOptions {
  readonly ringCapacity: number;
  /** Events older than this are not kept for resume (EventRing). */
  readonly resumeWindowMs: number;
  /**
   * How long a household stays subscribed after its last viewer left. A browser that lost its
   * connection comes back within seconds with Last-Event-ID; keeping the subscription (and the
   * ring filling) that long lets it resume instead of resyncing.
   */
  readonly lingerMs: number;
  readonly metrics: LiveHubMetrics;
  readonly log: Logger;
}

export interface LiveHub {
  /** Adds a viewer (replaying after `lastEventId` when possible); resolves to its removal. */
  watch(householdId: string, viewer: SseConnection, lastEventId?: string): Promise<() => void>;
  watchedHouseholds(): number;
  /** Retained `status` messages of the household's agents (subscribes briefly). */
  agentStatus(householdId: string): Promise<ReadonlyMap<string, string>>;
  /** Ends every stream (shutdown). */
  closeAll(): void;
}

/** Retained messages follow the SUBACK at once; this bounds the wait for the last of them. */
const RETAINED_WAIT_MS = 100;

export const readingsFilter = (householdId: string): string => `em/v1/${householdId}/+/readings`;

let generations = 0;
const newGeneration = (): string => `${Date.now().toString(36)}${(generations++).toString(36)}`;

export function createLiveHub(feed: LiveFeed, options: LiveHubOptions): LiveHub {
  const watched = new Map<string, Watched>();

  const statusCollectors = new Map<string, Map<string, string>>();
  feed.onMessage((topic, payload) => {
    const parsed = parseAgentTopic(topic);
    if (parsed?.kind === 'status') {
      statusCollectors.get(parsed.householdId)?.set(parsed.agentId, payload.toString('utf8'));
      return;
    }
    const entry = parsed === undefined ? undefined : watched.get(parsed.householdId);
    if (parsed?.kind !== 'readings' || entry === undefined) return;
    const data = eventData(payload);
    if (data === undefined) {
      options.metrics.undecodable();
      return;
    }
    const event = entry.ring.push(data);
    for (const viewer of entry.viewers) viewer.send(event);
  });
  feed.onReconnect(() => {
    for (const entry of watched.values()) {
      entry.ring = new EventRing(newGeneration(), options.ringCapacity, options.resumeWindowMs);
      for (const viewer of entry.viewers) viewer.sendResync('upstream-reconnected');
    }
  });

  const statusLookups = new Map<string, Promise<ReadonlyMap<string, string>>>();
  const collectStatus = async (householdId: string): Promise<ReadonlyMap<string, string>> => {
    const collected = new Map<string, string>();
    statusCollectors.set(householdId, collected);
    const filter = `em/v1/${householdId}/+/status`;
    try {
      await feed.subscribe(filter);
      await new Promise((resolve) => setTimeout(resolve, RETAINED_WAIT_MS));
      await feed.unsubscribe(filter);
    } catch (err) {
      options.log.warn({ err, householdId }, 'agent status unavailable');
    } finally {
      statusCollectors.delete(householdId);
    }
    return collected;
  };

  const unsubscribe = (householdId: string, entry: Watched): void => {
    if (entry.viewers.size > 0 || watched.get(householdId) !== entry) return;
    watched.delete(householdId);
    options.metrics.subscriptions(-1);
    feed.unsubscribe(readingsFilter(householdId)).catch((err: unknown) => options.log.warn({ err, householdId }, 'unsubscribe failed'));
  };

  const stopWatching = (householdId: string, entry: Watched, viewer: SseConnection): void => {
    if (!entry.viewers.delete(viewer)) return;
    options.metrics.viewers(-1);
    if (entry.viewers.size > 0 || watched.get(householdId) !== entry) return;
    if (options.lingerMs <= 0) {
      unsubscribe(householdId, entry);
      return;
    }
    entry.linger = setTimeout(() => {
      entry.linger = undefined;
      unsubscribe(householdId, entry);
    }, options.lingerMs);
    entry.linger.unref();
  };

  return {
    async watch(householdId, viewer, lastEventId) {
      let entry = watched.get(householdId);
      if (entry === undefined) {
        entry = { ring: new EventRing(newGeneration(), options.ringCapacity, options.resumeWindowMs), viewers: new Set(), ready: feed.subscribe(readingsFilter(householdId)) };
        watched.set(householdId, entry);
        options.metrics.subscriptions(1);
      }
      clearTimeout(entry.linger);
      entry.linger = undefined;
      entry.viewers.add(viewer);
      options.metrics.viewers(1);
      const current = entry;
      const remove = (): void => stopWatching(householdId, current, viewer);
      try {
        await entry.ready;
      } catch (err) {
        remove();
        throw err;
      }
      if (lastEventId !== undefined) resume(entry.ring, viewer, lastEventId);
      return remove;
    },
    watchedHouseholds: () => watched.size,
    agentStatus(householdId) {
      // Requests arriving while a lookup runs share it: its retained messages have not all arrived
      // yet, so a copy of what it holds so far would be missing some (or all) agents.
      const pending = statusLookups.get(householdId);
      if (pending !== undefined) return pending;
      const lookup = collectStatus(householdId).finally(() => statusLookups.delete(householdId));
      statusLookups.set(householdId, lookup);
      return lookup;
    },
    closeAll() {
      for (const entry of watched.values()) {
        clearTimeout(entry.linger);
        for (const viewer of [...entry.viewers]) viewer.close();
      }
    },
  };
}

function resume(ring: EventRing, viewer: SseConnection, lastEventId: string): void {
  const result = ring.resumeAfter(lastEventId);
  if (result.kind === 'resync') viewer.sendResync('last-event-id-too-old');
  else for (const event of result.events) viewer.send(event);
}

/** The SSE payload of one container, or undefined when the bytes do not decode. */
function eventData(payload: Buffer): string | undefined {
  try {
    const container = decodeContainer(payload);
    return JSON.stringify({
      agent: container.agentId,
      seq: container.seq,
      readings: container.measurements.map((m) => ({ device: m.deviceId, quantity: m.quantity, value: m.value, ts: m.timestampMs })),
    });
  } catch {
    return undefined;
  }
}
