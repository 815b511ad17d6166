// `npm run restore -- --from <dir>`: a backup (backup-cli.ts) into a new EM_DATA_DIR (restore.ts,
// docs/operations.md).
import { parseCommandLine } from '../../lib/cli/command-line.js';
import { exitCodeFor } from './backup-errors.js';
import { dataDirFromEnv } from './data-dir-env.js';
import { restoreBackup } from './restore.js';

const USAGE = `npm run restore -- --from DIR
  Restores the backup in DIR (npm run backup) into EM_DATA_DIR (default .data), which must not
  exist yet or be empty: checks every file against DIR/manifest.json first, then starts the
  folder's PostgreSQL and InfluxDB, restores the auth database (pg_restore) and the readings
  (influxd restore -portable), and stops them. Then run npm start with the same EM_DATA_DIR.
  docs/operations.md says what is restored and what is not.

  --from DIR    the backup folder
  -h, --help    this text

  environment: EM_DATA_DIR  the data folder to restore into (default .data)
  exit codes: 0 restored; 1 a server or pg_restore / influxd restore failed (the folder then holds
  a partial restore: remove it before trying again); 2 refused, nothing restored: bad option,
  DIR fails its manifest check (missing, changed or extra file), or EM_DATA_DIR is not new or empty`;

const cli = parseCommandLine(USAGE, { from: { type: 'string' } });
const from = cli.values.from ?? cli.fail('--from is required');
const target = dataDirFromEnv();
const dataDir = 'problem' in target ? cli.fail(target.problem) : target.dataDir;

try {
  const manifest = await restoreBackup({ fromDir: from, dataDir: dataDir, log: (line) => console.error(`restore: ${line}`) });
  console.log(`restored the backup of ${manifest.createdAt} (from ${manifest.sourceDataDir}) into ${dataDir}; start it with EM_DATA_DIR=${dataDir} npm start`);
} catch (err) {
  console.error(`restore: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = exitCodeFor(err);
}
