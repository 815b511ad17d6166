// `npm run backup -- --out <dir>`: a backup of the platform running from EM_DATA_DIR (backup.ts,
// docs/operations.md).
import { parseCommandLine } from '../../lib/cli/command-line.js';
import { exitCodeFor } from './backup-errors.js';
import { createBackup } from './backup.js';
import { dataDirFromEnv } from './data-dir-env.js';

const USAGE = `npm run backup -- --out DIR
  Backs up the platform running from EM_DATA_DIR (default .data) while it runs: the auth database
  (pg_dump, custom format) and every InfluxDB database (influxd backup -portable), with
  DIR/manifest.json (time, versions, each file's size and SHA-256). docs/operations.md says what
  it holds and leaves out, how to schedule it and how to check it.

  --out DIR     where to write it: a folder that does not exist yet, or an empty one (made 0700)
  -h, --help    this text

  environment: EM_DATA_DIR  the platform's data folder (default .data)
  exit codes: 0 done; 1 pg_dump or influxd backup failed (their error is shown);
  2 refused: bad option, the platform is not running, or DIR is not empty`;

const cli = parseCommandLine(USAGE, { out: { type: 'string' } });
const out = cli.values.out ?? cli.fail('--out is required');
const target = dataDirFromEnv();
const dataDir = 'problem' in target ? cli.fail(target.problem) : target.dataDir;

try {
  const manifest = await createBackup({ dataDir, outDir: out, log: (line) => console.error(`backup: ${line}`) });
  const bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(`backup of ${dataDir} written to ${out}: ${manifest.files.length} files, ${bytes} bytes (manifest.json lists them with their SHA-256)`);
} catch (err) {
  console.error(`backup: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = exitCodeFor(err);
}
