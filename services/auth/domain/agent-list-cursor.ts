// The opaque `cursor` of GET /v1/households/:id/agents: the (created_at, id) of the last agent of a
// page, from which the next page goes on (keyset paging). It is not signed: all it can do is place
// a page within the one household's agents that the caller may list anyway, so an edited cursor
// shows nothing new. What it must never do is reach PostgreSQL malformed, where a bad timestamp
// would be a 500: decoding refuses anything this module would not have written.
import { ID_PATTERN } from '../../../proto/topics.js';

/** Where a page ends: an agent's created_at to the microsecond (PostgreSQL's precision), and its id. */
export interface AgentListPosition {
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`: six digits, so two agents a microsecond apart stay apart. */
  readonly createdAt: string;
  readonly agentId: string;
}

/** The cursor's version: a later format is told from this one, and this one from junk. */
const PREFIX = 'a1';
const CREATED_AT = /^[12]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** Longest cursor this module writes, with room: 'a1', a 27-character instant, a 64-character id, in base64url. */
export const AGENT_CURSOR_MAX_CHARS = 160;

export function encodeAgentCursor(position: AgentListPosition): string {
  return Buffer.from(`${PREFIX} ${position.createdAt} ${position.agentId}`, 'utf8').toString('base64url');
}

/** The position a cursor names; undefined for anything encodeAgentCursor cannot have written. */
export function decodeAgentCursor(cursor: string): AgentListPosition | undefined {
  if (cursor.length > AGENT_CURSOR_MAX_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const [prefix, createdAt, agentId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(' ');
  if (prefix !== PREFIX || createdAt === undefined || agentId === undefined || rest.length > 0) return undefined;
  if (!isCalendarInstant(createdAt) || !ID_PATTERN.test(agentId)) return undefined;
  // base64url has more than one spelling of some texts (the last character's spare bits): only ours.
  return encodeAgentCursor({ createdAt, agentId }) === cursor ? { createdAt, agentId } : undefined;
}

/**
 * The shape alone lets through 2030-02-30 or 25:00, which PostgreSQL refuses with an error: the
 * instant must read back unchanged from a JavaScript Date, which rolls such values over.
 */
function isCalendarInstant(createdAt: string): boolean {
  if (!CREATED_AT.test(createdAt)) return false;
  const millis = `${createdAt.slice(0, 23)}Z`;
  const parsed = new Date(millis);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === millis;
}
