// Operator tasks behind cli.ts, callable from tests: admin accounts and OAuth2 service clients.
import type { Queryable } from './data/db.js';
import { upsertServiceClient } from './data/service-clients-repository.js';
import { findUserByEmail, insertUser, setPassword, setRole } from './data/users-repository.js';
import type { PasswordHasher } from './domain/passwords.js';
import { normaliseEmail } from './domain/email-address.js';
import { isAllowedClientId } from './use-cases/client-credentials.js';

/** Creates an admin, or promotes an existing user; sets the password when one is given. */
export async function createAdmin(db: Queryable, hasher: PasswordHasher, email: string, password: string | undefined): Promise<'created' | 'promoted'> {
  const existing = await findUserByEmail(db, normaliseEmail(email));
  if (existing !== undefined) {
    await setRole(db, existing.id, 'admin');
    if (password !== undefined) await setPassword(db, existing.id, await hasher.hash(password));
    return 'promoted';
  }
  if (password === undefined) throw new Error('a new admin needs a password (EM_AUTH_ADMIN_PASSWORD)');
  await insertUser(db, { email: email.trim(), emailNormalized: normaliseEmail(email), displayName: 'Administrator', passwordHash: await hasher.hash(password), role: 'admin' });
  return 'created';
}

export const SCOPE_PATTERN = /^[A-Za-z0-9:._-]{1,64}$/;

/** Creates a service client (or replaces its secret and scopes); returns the secret, shown once. */
export async function createServiceClient(db: Queryable, clientId: string, scopes: readonly string[]): Promise<string> {
  if (!isAllowedClientId(clientId)) throw new Error(`client id must match ^[A-Za-z0-9_-]{1,64}$ and not be reserved: ${JSON.stringify(clientId)}`);
  const bad = scopes.filter((s) => !SCOPE_PATTERN.test(s));
  if (bad.length > 0) throw new Error(`invalid scopes: ${bad.join(', ')}`);
  return upsertServiceClient(db, clientId, scopes);
}
