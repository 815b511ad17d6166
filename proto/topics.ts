// Topic scheme, version 1 (documented in proto/README.md):
//   em/v1/{householdId}/{agentId}/readings   QoS1, one ReadingContainer per publish
//   em/v1/{householdId}/{agentId}/status     retained "online"; the will publishes "offline"
// Ids are restricted to a topic-safe alphabet so that no id can contain a level separator or a
// wildcard ([MQTT-4.7.1-1]: '+' and '#' are wildcards; '/' separates levels).

export const TOPIC_PREFIX = 'em/v1';
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type TopicKind = 'readings' | 'status';

export interface AgentTopic {
  readonly householdId: string;
  readonly agentId: string;
  readonly kind: TopicKind;
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function assertId(what: string, id: string): void {
  if (!isValidId(id)) throw new Error(`${what} must match ${String(ID_PATTERN)}, got ${JSON.stringify(id)}`);
}

export function readingsTopic(householdId: string, agentId: string): string {
  assertId('householdId', householdId);
  assertId('agentId', agentId);
  return `${TOPIC_PREFIX}/${householdId}/${agentId}/readings`;
}

export function statusTopic(householdId: string, agentId: string): string {
  assertId('householdId', householdId);
  assertId('agentId', agentId);
  return `${TOPIC_PREFIX}/${householdId}/${agentId}/status`;
}

/** Filter for everything one household publishes (live viewers subscribe to this). */
export function householdFilter(householdId: string): string {
  assertId('householdId', householdId);
  return `${TOPIC_PREFIX}/${householdId}/+/+`;
}

// One pass over the topic (the broker parses every publish's topic): prefix, two ids of the
// ID_PATTERN alphabet, and the kind.
const AGENT_TOPIC = /^em\/v1\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})\/(readings|status)$/;

/**
 * Topics parsed already, by their text (null: not one of ours). A broker parses every publish's
 * topic, up to three times (fast path, ACL, validation), and an agent publishes on the same two
 * topics for ever: a lookup is a fraction of the regex. Bounded in entries (emptied when full)
 * and in size: a topic longer than any agent topic is never kept, so a client sending long
 * topics (MQTT allows 65,535 bytes) cannot fill memory with them.
 */
const parsedTopics = new Map<string, AgentTopic | null>();
const MAX_PARSED_TOPICS = 65_536;
/** The longest agent topic, a readings topic with two 64-character ids (ASCII: characters = bytes). */
export const LONGEST_AGENT_TOPIC = `${TOPIC_PREFIX}/${'x'.repeat(64)}/${'x'.repeat(64)}/readings`.length;

/** Parses an agent topic; undefined when the topic is not one of ours. */
export function parseAgentTopic(topic: string): AgentTopic | undefined {
  if (topic.length > LONGEST_AGENT_TOPIC) return undefined;
  const known = parsedTopics.get(topic);
  if (known !== undefined) return known ?? undefined;
  const match = AGENT_TOPIC.exec(topic);
  const parsed: AgentTopic | null = match === null ? null : Object.freeze({ householdId: match[1] as string, agentId: match[2] as string, kind: match[3] as TopicKind });
  if (parsedTopics.size >= MAX_PARSED_TOPICS) parsedTopics.clear();
  parsedTopics.set(topic, parsed);
  return parsed ?? undefined;
}

export const STATUS_ONLINE = 'online';
export const STATUS_OFFLINE = 'offline';
