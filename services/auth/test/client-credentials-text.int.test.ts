// POST /oauth/token with a client id or secret PostgreSQL cannot store, and audit details that
// jsonb cannot hold, against a real PostgreSQL. A client_id with U+0000 (form or HTTP Basic) was a
// 500: the failed attempt's audit record carried it into jsonb, which refuses \u0000; so was 63
// letters and an emoji, whose UTF-16 slice(0, 64) left a lone high surrogate. Now the first is a
// 400 naming the field, before any lookup or audit (as for every other text field); the second a
// 401 whose failure is audited; and the audit writer stores whatever detail it is given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../data/audit-log.js';
import { createServiceClient } from '../operator-tasks.js';
import { startTestService, type TestService } from './auth-test-service.js';

let t: TestService;
let secret: string;
beforeAll(async () => {
  t = await startTestService('auth_client_text');
  secret = await createServiceClient(t.service.db, 'text-service', ['readings:subscribe-all']);
});
afterAll(async () => t?.close());

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const basic = (id: string, password: string): string => `Basic ${Buffer.from(`${id}:${password}`, 'utf8').toString('base64')}`;
const tokenRequest = (payload: string, headers: Record<string, string> = {}) =>
  t.service.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload });

const failures = async (): Promise<Array<{ detail: { clientId: string } }>> =>
  t.service.db.query<{ detail: { clientId: string } }>("SELECT detail FROM audit_log WHERE event = 'service-client-auth-failure' ORDER BY id");

describe('client credentials PostgreSQL cannot store', () => {
  it.each([
    ['client_id holds U+0000 (client_secret_post)', 'grant_type=client_credentials&client_id=a%00b&client_secret=y', {}, 'body.client_id'],
    ['client_secret holds U+0000 (client_secret_post)', `grant_type=client_credentials&client_id=text-service&client_secret=x%00y`, {}, 'body.client_secret'],
    ['the Basic client id holds U+0000', 'grant_type=client_credentials', { authorization: basic('a\u0000b', 'x') }, 'headers.authorization'],
    ['the Basic client id holds a form-encoded U+0000', 'grant_type=client_credentials', { authorization: basic('a%00b', 'x') }, 'headers.authorization'],
    ['the Basic secret holds U+0000', 'grant_type=client_credentials', { authorization: basic('text-service', 'x\u0000') }, 'headers.authorization'],
  ])('when the %s, then 400 invalid-request names it and nothing is audited', async (_what, payload, headers, field) => {
    const before = (await failures()).length;
    const response = await tokenRequest(payload, headers);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ error: string; message: string }>()).toMatchObject({ error: 'invalid-request', message: expect.stringContaining(field) as unknown });
    expect((await failures()).length).toBe(before);
  });

  it('when the client id is 63 letters and an emoji (a surrogate pair across UTF-16 unit 64), then 401 invalid_client and the failure is audited whole', async () => {
    const clientId = `${'a'.repeat(63)}\u{1F600}`;
    const response = await tokenRequest(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'y' }));
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_client' });
    expect((await failures()).at(-1)?.detail.clientId).toBe(clientId);
  });

  it('when a Basic client id is far longer than any we issue, then 401 and the audit keeps its first code points, no half pair', async () => {
    const clientId = '\u{1F600}'.repeat(1000);
    const response = await tokenRequest('grant_type=client_credentials', { authorization: basic(clientId, 'x') });
    expect(response.statusCode, response.body).toBe(401);
    const audited = (await failures()).at(-1)?.detail.clientId ?? '';
    expect([...audited].length).toBeLessThan(1000);
    expect(audited).toBe('\u{1F600}'.repeat([...audited].length));
  });

  it('when the client authenticates with the right secret, then it still gets its token (control case)', async () => {
    const response = await tokenRequest(form({ grant_type: 'client_credentials', client_id: 'text-service', client_secret: secret }));
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe('the audit writer', () => {
  it('when a detail holds U+0000, lone surrogates or a very long text, even nested, then the record is written with them replaced and cut', async () => {
    await audit(t.service.db, {
      event: 'service-client-auth-failure',
      detail: { clientId: 'a\u0000b\ud800c\udc00', nested: { list: ['x\u0000', `${'b'.repeat(255)}\u{1F600}z`] }, 'k\u0000ey': 1, n: null, ok: true },
    });
    const [row] = await t.service.db.query<{ detail: Record<string, unknown> }>('SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1');
    expect(row?.detail).toEqual({ clientId: 'a\ufffdb\ufffdc\ufffd', nested: { list: ['x\ufffd', `${'b'.repeat(255)}\u{1F600}`] }, 'k\ufffdey': 1, n: null, ok: true });
  });
});
