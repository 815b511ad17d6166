// A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802, RFC 7677), computed here as psql's
// \password and libpq's PQencryptPasswordConn do. `ALTER ROLE … PASSWORD '<verifier>'` stores it
// as is, so the password itself never reaches the server, its statement log or an error message.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** PostgreSQL's default (scram_iterations, 4096). */
const ITERATIONS = 4096;

/**
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. The password must be ASCII: SASLprep
 * (which PostgreSQL applies to non-ASCII passwords) is not done here.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16)): string {
  if (!/^[\x20-\x7e]*$/.test(password)) throw new Error('scramSha256Verifier takes printable ASCII passwords only');
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  const b64 = (b: Buffer): string => b.toString('base64');
  return `SCRAM-SHA-256$${ITERATIONS}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}
