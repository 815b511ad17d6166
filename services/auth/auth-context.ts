// What every route and use case of the auth service works with, built once by app.ts.
import type { Logger } from '../../lib/log.js';
import type { AuthConfig } from './config.js';
import type { Db } from './data/db.js';
import type { LoginThrottle } from './data/login-throttle.js';
import type { AccessTokens } from './domain/access-tokens.js';
import type { PasswordHasher } from './domain/passwords.js';
import type { AuthMetrics } from './metrics.js';

export interface AuthContext {
  readonly config: Readonly<AuthConfig>;
  readonly db: Db;
  readonly log: Logger;
  readonly metrics: AuthMetrics;
  readonly passwords: PasswordHasher;
  readonly tokens: AccessTokens;
  readonly throttle: LoginThrottle;
}
