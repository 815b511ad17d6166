// A running auth service on its own fresh database for one integration test file: real PostgreSQL
// (test/global-setup.ts), real migrations, in-process HTTP through app.inject().
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { createPostgresDatabase } from '../../../infra/postgres.js';
import { createLogger, silentLogger } from '../../../lib/log.js';
import { createAuthService, type AuthService } from '../app.js';
import { loadAuthConfig, type AuthConfig } from '../config.js';

export const TEST_ISSUER = 'http://auth.test';
export const TEST_PASSWORD = 'correct horse battery staple';

export async function createTestDatabase(prefix: string): Promise<string> {
  return createPostgresDatabase({ url: inject('postgresUrl') }, `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
}

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Readonly<AuthConfig> {
  // Argon2id at the OWASP floor: the minimum the config accepts, never lower.
  // Every test request comes from one address; the registration limit has its own test.
  return loadAuthConfig({
    EM_AUTH_DATABASE_URL: databaseUrl,
    EM_AUTH_PORT: '0',
    EM_AUTH_METRICS_PORT: '0',
    EM_AUTH_ISSUER: TEST_ISSUER,
    EM_AUTH_REGISTER_MAX_PER_ADDRESS: '10000',
    ...env,
  });
}

export interface TestUser {
  readonly email: string;
  readonly subject: string;
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly auth: { authorization: string };
}

export interface TestService {
  readonly service: AuthService;
  readonly databaseUrl: string;
  /** JSON request through app.inject(). */
  request(method: string, url: string, options?: { body?: unknown; headers?: Record<string, string>; remoteAddress?: string }): Promise<LightMyRequestResponse>;
  /** Registers and logs in a new user with TEST_PASSWORD. */
  newUser(label?: string): Promise<TestUser>;
  login(email: string, password?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestService(prefix: string, env: Record<string, string> = {}): Promise<TestService> {
  return startTestServiceOn(await createTestDatabase(prefix), env);
}

/** Another service on a database a test service uses already: a second replica, or one whose config changed. */
export async function startTestServiceOn(databaseUrl: string, env: Record<string, string> = {}): Promise<TestService> {
  const service = await createAuthService(testConfig(databaseUrl, env), { log: process.env.EM_TEST_AUTH_LOG === '1' ? createLogger('auth') : silentLogger() });
  await service.start();
  const request: TestService['request'] = (method, url, options = {}) =>
    service.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
      ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
    });
  const login: TestService['login'] = (email, password = TEST_PASSWORD) => request('POST', '/v1/auth/login', { body: { email, password } });
  return {
    service,
    databaseUrl,
    request,
    login,
    async newUser(label = 'user') {
      const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
      const registered = await request('POST', '/v1/auth/register', { body: { email, password: TEST_PASSWORD, displayName: label } });
      if (registered.statusCode !== 202) throw new Error(`register failed: ${registered.body}`);
      const tokens = (await login(email)).json<{ access_token: string; refresh_token: string }>();
      const me = await request('GET', '/v1/me', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const subject = me.json<{ subject: string }>().subject;
      return { email, subject, userId: subject, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, auth: { authorization: `Bearer ${tokens.access_token}` } };
    },
    close: () => service.stop(),
  };
}
