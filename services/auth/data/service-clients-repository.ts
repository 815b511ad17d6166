// OAuth2 service clients (client_credentials, RFC 6749 §4.4). Secret: 256-bit random, SHA-256 stored.
import { newSecret, sha256 } from '../domain/secrets.js';
import type { Queryable } from './db.js';

export interface ServiceClientRecord {
  readonly clientId: string;
  readonly secretHash: Buffer;
  readonly scopes: readonly string[];
  readonly revoked: boolean;
}

/** Creates the client, or replaces the secret and scopes of an existing one; returns the secret (shown once). */
export async function upsertServiceClient(db: Queryable, clientId: string, scopes: readonly string[]): Promise<string> {
  const secret = newSecret();
  await db.query(
    `INSERT INTO service_clients (client_id, secret_hash, scopes) VALUES ($1, $2, $3)
     ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, scopes = EXCLUDED.scopes, revoked_at = NULL`,
    [clientId, sha256(secret), [...scopes]],
  );
  return secret;
}

export async function findServiceClient(db: Queryable, clientId: string): Promise<ServiceClientRecord | undefined> {
  const rows = await db.query<{ client_id: string; secret_hash: Buffer; scopes: string[]; revoked: boolean }>(
    'SELECT client_id, secret_hash, scopes, revoked_at IS NOT NULL AS revoked FROM service_clients WHERE client_id = $1',
    [clientId],
  );
  const row = rows[0];
  return row === undefined ? undefined : { clientId: row.client_id, secretHash: row.secret_hash, scopes: row.scopes, revoked: row.revoked };
}
