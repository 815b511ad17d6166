// The data folder backup and restore work on: EM_DATA_DIR as `npm start` reads it (default .data,
// relative to the working directory, which npm run sets to the repository).
import { resolve } from 'node:path';

/** The resolved EM_DATA_DIR, or a message when it is set but empty (npm start refuses that too). */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): { dataDir: string } | { problem: string } {
  const raw = env.EM_DATA_DIR;
  if (raw !== undefined && raw.trim() === '') return { problem: 'EM_DATA_DIR is set but empty: name the data folder, or unset it for .data' };
  return { dataDir: resolve(raw ?? '.data') };
}
