// A live stream is authorised when it opens; these check that it does not outlive that: the server
// ends it when the access token it was opened with expires, and when its viewer's membership row is
// deleted (rechecked every EM_READ_SSE_MEMBERSHIP_RECHECK_MS). Real PostgreSQL memberships, real
// signed tokens; no broker (nothing needs to be published for a stream to be open or ended).
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthDatabase, type AuthDatabase } from '../../../test/support/auth-database.js';
import { startTestIssuer, type TestIssuer } from '../../../test/support/test-issuer.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';
import { openSse, type SseReader } from './support/sse-reader.js';

const H = 'h-live-access';
const RECHECK_MS = 300;
/** Scheduling and a PostgreSQL round trip on a loaded machine, on top of the interval. */
const SLACK_MS = 1_500;

let db: AuthDatabase;
let issuer: TestIssuer;
let f: ReadFixture;
const readers: SseReader[] = [];

beforeAll(async () => {
  [db, issuer] = await Promise.all([createAuthDatabase('read_live_access'), startTestIssuer()]);
  await db.addHousehold(H);
  f = await startReadFixture({ db, issuer, env: { EM_READ_SSE_HEARTBEAT_MS: '100', EM_READ_SSE_MEMBERSHIP_RECHECK_MS: String(RECHECK_MS), EM_READ_SSE_LINGER_MS: '0' } });
});

afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});

afterAll(async () => {
  await f?.close();
  await Promise.all([db?.close(), issuer?.close()]);
});

/** A user who is a member of H; returns their user id. */
async function member(subject: string): Promise<string> {
  const userId = await db.addUser(subject);
  await db.addMembership(H, userId);
  return userId;
}

async function watch(token: string): Promise<SseReader> {
  const reader = await openSse(`${f.baseUrl}/v1/households/${H}/live`, { authorization: `Bearer ${token}` });
  readers.push(reader);
  return reader;
}

/** Waits until the stream is established: its first heartbeat arrived. */
async function established(reader: SseReader): Promise<void> {
  for (let i = 0; i < 200 && reader.comments() < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(reader.comments()).toBeGreaterThanOrEqual(2);
}

async function closedTotal(reason: string): Promise<number> {
  const text = await (await fetch(f.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith('em_read_sse_closed_total{') && l.includes(`reason="${reason}"`));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('live stream lifetime (real PostgreSQL, tokens)', () => {
  it('when nothing has been ended yet, then the closed-stream counter reads 0 for each reason', async () => {
    expect(await closedTotal('token-expired')).toBe(0);
    expect(await closedTotal('membership-ended')).toBe(0);
  });

  it('when the access token a stream was opened with expires, then the server ends the stream with an end event saying so', async () => {
    await member('expiring');
    const token = await issuer.userToken('expiring', { expiresInS: 2 });
    const expiresAtMs = (decodeJwt(token).exp ?? 0) * 1000;
    const viewer = await watch(token);
    expect(viewer.status).toBe(200);
    await established(viewer);
    const end = await viewer.next((e) => e.event === 'end', 2_000 + SLACK_MS);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAtMs - 50);
    expect(JSON.parse(end.data)).toEqual({ reason: 'token-expired' });
    expect(end.id).toBeUndefined();
    await viewer.end(SLACK_MS);
    expect(await closedTotal('token-expired')).toBe(1);
    for (let i = 0; i < 40 && (await f.metric('em_read_sse_viewers')) !== 0; i += 1) await sleep(25);
    expect(await f.metric('em_read_sse_viewers')).toBe(0);
  });

  it("when a token past its exp is still within the verifier's clock tolerance, then no stream opens: 401, so the client renews it", async () => {
    await member('stale');
    const viewer = await watch(await issuer.userToken('stale', { expiresInS: -5 }));
    expect(viewer.status).toBe(401);
  });

  it("when a viewer's membership row is deleted, then the server ends the stream within the recheck interval", async () => {
    const userId = await member('removed');
    const viewer = await watch(await issuer.userToken('removed'));
    expect(viewer.status).toBe(200);
    await established(viewer);
    await db.removeMembership(H, userId);
    const removedAt = Date.now();
    const end = await viewer.next((e) => e.event === 'end', RECHECK_MS + SLACK_MS);
    expect(Date.now() - removedAt).toBeLessThan(RECHECK_MS + SLACK_MS);
    expect(JSON.parse(end.data)).toEqual({ reason: 'membership-ended' });
    await viewer.end(SLACK_MS);
    expect(await closedTotal('membership-ended')).toBe(1);
  });

  it('when a viewer stays a member, then the recheck never ends the stream', async () => {
    await member('stays');
    const viewer = await watch(await issuer.userToken('stays'));
    await established(viewer);
    await sleep(6 * RECHECK_MS);
    const heartbeats = viewer.comments();
    await sleep(3 * RECHECK_MS);
    expect(viewer.ended()).toBe(false);
    expect(viewer.comments()).toBeGreaterThan(heartbeats);
  });

  it('when an admin who is no member watches, then the recheck leaves the stream open', async () => {
    await db.addUser('operator');
    const viewer = await watch(await issuer.userToken('operator', { roles: ['admin'] }));
    expect(viewer.status).toBe(200);
    await established(viewer);
    await sleep(6 * RECHECK_MS);
    expect(viewer.ended()).toBe(false);
  });
});
