// Ed25519 signing keys, kept in PostgreSQL (table signing_keys).
// Why the database and not a key file (EM_AUTH_KEY_PATH): every replica must sign with and publish
// the same keys. A file would need a shared volume or a secret-distribution step per replica and a
// coordinated rotation; the database is already shared, already holds the secrets that matter more
// (password hashes, session hashes), and gives us a lock so that two replicas starting together
// create one key, not two. Rotation: `cli.ts rotate-key` retires the newest key and adds one; a
// retired key stays in the JWKS for RETIRED_KEY_PUBLISH_S so tokens it signed still verify.
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Db, Queryable } from '../data/db.js';

export const SIGNING_ALGORITHM = 'EdDSA';
/** Longer than any access token lives (TTL ≤ 1 h), so no token outlives its key's publication. */
export const RETIRED_KEY_PUBLISH_S = 24 * 3600;
const KEY_LOCK = 727_006; // advisory lock id: "one key creation at a time"

export interface KeySet {
  readonly signingKid: string;
  readonly signingKey: CryptoKey;
  /** Public keys to publish and verify with, newest first. */
  readonly publicJwks: readonly JWK[];
}

interface KeyRow extends Record<string, unknown> {
  kid: string;
  private_jwk: JWK;
  public_jwk: JWK;
  retired_at: Date | null;
}

async function insertNewKey(tx: Queryable): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const kid = `ed-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
  const meta = { kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
  const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
  await tx.query('INSERT INTO signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)', [kid, privateJwk, publicJwk]);
}

/** Creates the first key unless a current one exists (safe when several replicas start at once). */
export async function ensureSigningKey(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
    const current = await tx.query('SELECT 1 FROM signing_keys WHERE retired_at IS NULL LIMIT 1');
    if (current.length === 0) await insertNewKey(tx);
  });
}

/** Retires the current key(s) and adds a new signing key. Replicas pick it up on their next reload. */
export async function rotateSigningKey(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
    await tx.query('UPDATE signing_keys SET retired_at = clock_timestamp() WHERE retired_at IS NULL');
    await insertNewKey(tx);
  });
}

export async function loadKeySet(db: Queryable): Promise<KeySet> {
  const rows = await db.query<KeyRow>(
    `SELECT kid, private_jwk, public_jwk, retired_at FROM signing_keys
      WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
      ORDER BY created_at DESC`,
    [RETIRED_KEY_PUBLISH_S],
  );
  const current = rows.find((r) => r.retired_at === null);
  if (current === undefined) throw new Error('no current signing key; ensureSigningKey() runs at start');
  const signingKey = await importJWK(current.private_jwk, SIGNING_ALGORITHM);
  if (!('type' in signingKey)) throw new Error('signing key did not import as a CryptoKey');
  return { signingKid: current.kid, signingKey, publicJwks: rows.map((r) => r.public_jwk) };
}
