import { describe, expect, it } from 'vitest';
import { AGENT_CURSOR_MAX_CHARS, decodeAgentCursor, encodeAgentCursor } from '../domain/agent-list-cursor.js';

const position = { createdAt: '2030-01-31T23:59:59.123456Z', agentId: 'a-Zz09_-' };

describe('agent list cursor', () => {
  it('when a position is encoded, then the cursor is URL-safe and decodes to it, microseconds included', () => {
    const cursor = encodeAgentCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAgentCursor(cursor)).toEqual(position);
  });

  it('when the longest id is encoded, then the cursor fits the length the route accepts', () => {
    expect(encodeAgentCursor({ ...position, agentId: 'x'.repeat(64) }).length).toBeLessThanOrEqual(AGENT_CURSOR_MAX_CHARS);
  });

  it('when a cursor spells our text in another base64url way (spare bits set), then it is refused', () => {
    const cursor = encodeAgentCursor({ ...position, agentId: 'a-1' });
    expect(cursor.length % 4).not.toBe(0); // the last character carries spare bits
    const last = cursor.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = cursor.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1];
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(cursor, 'base64url'))).toBe(true);
    expect(decodeAgentCursor(twin)).toBeUndefined();
  });

  it.each(['2030-02-29T00:00:00.000000Z', '2031-04-31T00:00:00.000000Z', '2030-01-01T23:59:60.000000Z', '2030-01-01T00:00:00.1234567Z', '2030-01-01 00:00:00.000000Z'])(
    'when the instant is %s, which is no instant or not as written, then the cursor is refused',
    (createdAt) => {
      expect(decodeAgentCursor(encodeAgentCursor({ ...position, createdAt }))).toBeUndefined();
    },
  );
});
