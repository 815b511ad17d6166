// The directory contract against PostgreSQL with the real migrations applied.
import { createAuthDatabase } from '../../../test/support/auth-database.js';
import { createPgDirectory } from '../pg-directory.js';
import { describeDirectoryContract } from './directory-contract.js';

describeDirectoryContract('PostgreSQL', async () => {
  const db = await createAuthDatabase('pgdir');
  return { db, directory: createPgDirectory(db.pool), close: () => db.close() };
});
