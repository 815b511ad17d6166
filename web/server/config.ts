// Configuration of the web server from EM_WEB_* variables, validated once and frozen.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { booleanFlag, hostSchema, loadConfig, portSchema, positiveInt } from '../../lib/config/load-config.js';

const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z
  .object({
    EM_WEB_HOST: hostSchema,
    EM_WEB_PORT: portSchema.default(8080),
    EM_WEB_AUTH_URL: httpUrl.default('http://127.0.0.1:8081'),
    EM_WEB_READ_URL: httpUrl.default('http://127.0.0.1:8082'),
    /** The alerts service behind /api/alerts/*; without it those routes answer 503. */
    EM_WEB_ALERTS_URL: httpUrl.optional(),
    /**
     * Largest request body the proxies forward; a larger one is our 413 before any of it goes
     * upstream. Above the services' own limits (16 KiB each by default): theirs still apply and
     * their 413 names them. Raise it with EM_AUTH_BODY_LIMIT_BYTES.
     */
    EM_WEB_PROXY_BODY_LIMIT_BYTES: positiveInt.default(64 * 1024),
    /** Folder with the built app (`npm run web:build`); web/dist of this checkout by default. */
    EM_WEB_DIST_DIR: z.string().min(1).default(fileURLToPath(new URL('../dist', import.meta.url))),
    /** Mark the session cookie Secure: set when the app is served over https. */
    EM_WEB_SECURE_COOKIE: booleanFlag.default(false),
    /** /metrics, /healthz, /readyz (lib/metrics/metrics-server.ts); 0 picks a free port. */
    EM_WEB_METRICS_PORT: portSchema.default(9106),
    /** Prometheus behind the operator page; without it /api/operator/* answer 503. */
    EM_WEB_PROMETHEUS_URL: httpUrl.optional(),
    EM_WEB_PROMETHEUS_TIMEOUT_MS: positiveInt.max(60_000).default(5_000),
    /** Who issues the access tokens the operator endpoints check: the auth service by default. */
    EM_WEB_AUTH_ISSUER: z.string().min(1).optional(),
    EM_WEB_AUTH_AUDIENCE: z.string().min(1).default('energymonitor'),
    EM_WEB_AUTH_JWKS_URL: httpUrl.optional(),
  })
  .transform((env) => ({
    host: env.EM_WEB_HOST,
    port: env.EM_WEB_PORT,
    authUrl: env.EM_WEB_AUTH_URL.replace(/\/$/, ''),
    readUrl: env.EM_WEB_READ_URL.replace(/\/$/, ''),
    alertsUrl: env.EM_WEB_ALERTS_URL?.replace(/\/$/, ''),
    proxyBodyLimitBytes: env.EM_WEB_PROXY_BODY_LIMIT_BYTES,
    distDir: env.EM_WEB_DIST_DIR,
    secureCookie: env.EM_WEB_SECURE_COOKIE,
    metricsPort: env.EM_WEB_METRICS_PORT,
    prometheus: env.EM_WEB_PROMETHEUS_URL === undefined ? undefined : { url: env.EM_WEB_PROMETHEUS_URL.replace(/\/$/, ''), timeoutMs: env.EM_WEB_PROMETHEUS_TIMEOUT_MS },
    auth: authOf(env),
  }));

function authOf(env: { EM_WEB_AUTH_URL: string; EM_WEB_AUTH_ISSUER?: string; EM_WEB_AUTH_AUDIENCE: string; EM_WEB_AUTH_JWKS_URL?: string }) {
  const authUrl = env.EM_WEB_AUTH_URL.replace(/\/$/, '');
  return {
    issuer: env.EM_WEB_AUTH_ISSUER ?? authUrl,
    audience: env.EM_WEB_AUTH_AUDIENCE,
    jwksUrl: env.EM_WEB_AUTH_JWKS_URL ?? `${authUrl}/.well-known/jwks.json`,
  };
}

export type WebConfig = z.infer<typeof schema>;

export function loadWebConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<WebConfig> {
  return loadConfig(schema, env);
}
