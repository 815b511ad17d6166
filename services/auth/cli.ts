// Operator CLI: `npx tsx services/auth/cli.ts <command>` with EM_AUTH_DATABASE_URL set.
//   migrate                                 apply pending migrations
//   create-admin <email>                    create or promote; password from EM_AUTH_ADMIN_PASSWORD
//   create-service-client <id> [scope…]     prints the client secret once (JSON)
//   rotate-key                              retire the signing key and add a new one
//   demo [--agents N]                       ensure the demo account; prints its agents (JSON)
//   service-roles                           the broker's, read's and alerts' PostgreSQL logins, fresh passwords; prints their URLs (JSON)
import { silentLogger } from '../../lib/log.js';
import { loadAuthConfig } from './config.js';
import { createDb } from './data/db.js';
import { ensureDemoAccount } from './demo-account.js';
import { createPasswordHasher } from './domain/passwords.js';
import { rotateSigningKey } from './domain/signing-keys.js';
import { migrateAuthDatabase } from './migrate.js';
import { createAdmin, createServiceClient } from './operator-tasks.js';
import { ensureServiceRoles } from './service-roles.js';
import { parseCommandLine } from '../../lib/cli/command-line.js';

const USAGE = 'usage: cli.ts migrate | create-admin <email> | create-service-client <id> [scope…] | rotate-key | demo [--agents N] | service-roles';

async function run(command: string | undefined, args: string[], agents: number): Promise<unknown> {
  const config = loadAuthConfig();
  if (command === 'migrate') return { applied: await migrateAuthDatabase(config.databaseUrl) };
  if (command === 'demo') return ensureDemoAccount(config.databaseUrl, { agents, argon2: config.argon2 });
  await migrateAuthDatabase(config.databaseUrl);
  if (command === 'service-roles') return ensureServiceRoles(config.databaseUrl);
  const db = createDb(config.databaseUrl, silentLogger(), { max: 1 });
  try {
    if (command === 'create-admin' && args[0] !== undefined) {
      return { outcome: await createAdmin(db, createPasswordHasher(config.argon2), args[0], process.env.EM_AUTH_ADMIN_PASSWORD) };
    }
    if (command === 'create-service-client' && args[0] !== undefined) {
      const scopes = args.slice(1);
      return { client_id: args[0], client_secret: await createServiceClient(db, args[0], scopes), scopes };
    }
    if (command === 'rotate-key') return { rotated: (await rotateSigningKey(db), true) };
    throw new Error(USAGE);
  } finally {
    await db.close();
  }
}

const cli = parseCommandLine(USAGE, { agents: { type: 'string', default: '1' } }, { positionals: true });
const [command, ...rest] = cli.positionals;
const agents = cli.number('agents', { min: 1, max: 1000, integer: true });
try {
  console.log(JSON.stringify(await run(command, rest, agents), null, 2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
