// Builds the real authentication dependencies from config: a PostgreSQL pool behind a cached
// directory, and a token verifier for the configured issuer (broker/main.ts).
import { createCachedDirectory } from '../lib/auth/cached-directory.js';
import { createPgDirectory } from '../lib/auth/pg-directory.js';
import { createTokenVerifier } from '../lib/auth/token-verifier.js';
import type { Logger } from '../lib/log.js';
import { openServicePool } from '../lib/pg/service-pool.js';
import type { BrokerAuthConfig } from './auth-config.js';
import type { BrokerAuthDeps } from './auth-hooks.js';

export interface OpenedAuthDeps extends BrokerAuthDeps {
  close(): Promise<void>;
}

export function openAuthDeps(config: BrokerAuthConfig, log: Logger): OpenedAuthDeps {
  if (config.mode === 'disabled') return { close: () => Promise.resolve() };
  // Few connections suffice: answers are cached, and queries are single-row index lookups.
  const pool = openServicePool({ databaseUrl: config.databaseUrl, max: 5, applicationName: 'energymonitor-broker', log });
  const directory = createPgDirectory(pool);
  const cached = createCachedDirectory(directory, directory, config.cacheTtls);
  return {
    agentDirectory: cached,
    memberships: cached,
    verifier: config.token === undefined ? undefined : createTokenVerifier(config.token),
    close: () => pool.end(),
  };
}
