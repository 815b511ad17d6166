// How many live streams one viewer may hold open at once (EM_READ_SSE_MAX_STREAMS_PER_VIEWER).
// Acceptance report: nothing bounded them, and the read process may hold at most 20,000 open
// files here, so one account could take every stream the service can serve.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthDatabase, type AuthDatabase } from '../../../test/support/auth-database.js';
import { startTestIssuer, type TestIssuer } from '../../../test/support/test-issuer.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';
import { openSse, type SseReader } from './support/sse-reader.js';

const H = 'h-live-quota';
const MAX = 3;

let db: AuthDatabase;
let issuer: TestIssuer;
let f: ReadFixture;
const readers: SseReader[] = [];

beforeAll(async () => {
  [db, issuer] = await Promise.all([createAuthDatabase('read_live_quota'), startTestIssuer()]);
  await db.addHousehold(H);
  for (const subject of ['greedy', 'other']) await db.addMembership(H, await db.addUser(subject));
  f = await startReadFixture({ db, issuer, env: { EM_READ_SSE_MAX_STREAMS_PER_VIEWER: String(MAX), EM_READ_SSE_LINGER_MS: '0' } });
});

afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});

afterAll(async () => {
  await f?.close();
  await Promise.all([db?.close(), issuer?.close()]);
});

async function watch(subject: string): Promise<SseReader> {
  const reader = await openSse(`${f.baseUrl}/v1/households/${H}/live`, { authorization: `Bearer ${await issuer.userToken(subject)}` });
  readers.push(reader);
  return reader;
}

describe('live streams per viewer', () => {
  it('when a viewer holds the most streams allowed, then one more gets 429 too-many-streams, another viewer is not affected, and closing one frees a place', async () => {
    const open = [];
    for (let i = 0; i < MAX; i++) open.push(await watch('greedy'));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200]);

    const refused = await fetch(`${f.baseUrl}/v1/households/${H}/live`, { headers: { authorization: `Bearer ${await issuer.userToken('greedy')}` } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(await refused.json()).toMatchObject({ error: 'too-many-streams', message: expect.stringContaining(String(MAX)) as string });

    expect((await watch('other')).status).toBe(200);

    open[0]?.close();
    let again = 0;
    for (let i = 0; i < 40 && again !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reader = await watch('greedy');
      again = reader.status;
      if (again !== 200) reader.close();
    }
    expect(again).toBe(200);
  });
});
