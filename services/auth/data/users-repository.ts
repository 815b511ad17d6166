// Users (table users of migration 0001). Local users' subject is their id (decision 006 §4).
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.js';

export interface UserRecord {
  readonly id: string;
  readonly subject: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: 'user' | 'admin';
  readonly passwordHash: string | null;
  readonly createdAt: Date;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  subject: string;
  email: string;
  display_name: string;
  role: 'user' | 'admin';
  password_hash: string | null;
  created_at: Date;
}

const COLUMNS = 'id, subject, email, display_name, role, password_hash, created_at';

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  subject: row.subject,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

export interface NewUser {
  readonly email: string;
  readonly emailNormalized: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly role?: 'user' | 'admin';
}

/** Inserts the user unless the normalised email is taken; undefined when it was. */
export async function insertUser(db: Queryable, user: NewUser): Promise<UserRecord | undefined> {
  const id = randomUUID();
  const rows = await db.query<UserRow>(
    `INSERT INTO users (id, subject, email, email_normalized, display_name, password_hash, role)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email_normalized) DO NOTHING RETURNING ${COLUMNS}`,
    [id, id, user.email, user.emailNormalized, user.displayName, user.passwordHash, user.role ?? 'user'],
  );
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function findUserByEmail(db: Queryable, emailNormalized: string): Promise<UserRecord | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email_normalized = $1`, [emailNormalized]);
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function findUserBySubject(db: Queryable, subject: string): Promise<UserRecord | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE subject = $1`, [subject]);
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function setPassword(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [userId, passwordHash]);
}

/** The same password under stronger parameters: not a password change (sessions stay). */
export async function replacePasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

export async function setRole(db: Queryable, userId: string, role: 'user' | 'admin'): Promise<void> {
  await db.query('UPDATE users SET role = $2 WHERE id = $1', [userId, role]);
}
