// The operator's tool to replay the write service's dead letters into InfluxDB once their cause is
// fixed (replay-dead-letters.ts; docs/dead-letters.md, "Replaying"). Reads the store read-only, so
// it runs beside the write service; InfluxDB's address and credentials default to the write
// service's own EM_WRITE_* variables. Usage: USAGE below.
import '../../lib/process/report-config-errors.js'; // first: a bad EM_WRITE_* variable ends it cleanly
import { parseCommandLine } from '../../lib/cli/command-line.js';
import { formatLetterLine, quoted } from '../../lib/dead-letter/format-dead-letter.js';
import { lettersOrExit, sinceOption } from '../../lib/dead-letter/letters-for-tool.js';
import { loadWriteConfig } from './config.js';
import { createInfluxWriter } from './influx-writer.js';
import { ReplayInterrupted, replayableLine, replayDeadLetters, type LetterReplay } from './replay-dead-letters.js';

const USAGE = `npm run dead-letters:replay -- [options]
  Writes the lines InfluxDB refused (letters influx-400, influx-413, influx-422 of the write
  service's store) to InfluxDB again, once the cause is fixed. Letters stay in the store; a replay
  writes the same points over themselves, so it is harmless to repeat. Prints each letter's
  outcome (stored, refused, skipped) and a summary. Exit 0: every replayable letter stored;
  1: InfluxDB took no write (down, database missing, credentials); 3: some are still refused.

  --path DIR           the store                  default EM_WRITE_DEAD_LETTER_PATH or .data/write-dead-letters
  --influx-url URL     InfluxDB (v1 /write)       default EM_WRITE_INFLUX_URL or http://127.0.0.1:8086
  --database NAME      its database               default EM_WRITE_INFLUX_DB or energymonitor
                       (retention policy and credentials: EM_WRITE_INFLUX_RP, _USERNAME, _PASSWORD, _TOKEN)
  --reason R           only this reason, e.g. influx-400
  --since ISO          only letters recorded at or after this time, e.g. 2026-11-24T08:00:00Z
  --limit N            the newest N matching letters                   default 100000
  --dry-run            only list what would be replayed
  -h, --help           this text`;

const cli = parseCommandLine(USAGE, {
  path: { type: 'string' },
  'influx-url': { type: 'string' },
  database: { type: 'string' },
  reason: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string', default: '100000' },
  'dry-run': { type: 'boolean', default: false },
});
const { values } = cli;
const limit = cli.number('limit', { min: 1, integer: true });
const sinceMs = sinceOption(values.since, (message) => cli.fail(message));
const config = loadWriteConfig({
  ...process.env,
  ...(values['influx-url'] === undefined ? {} : { EM_WRITE_INFLUX_URL: values['influx-url'] }),
  ...(values.database === undefined ? {} : { EM_WRITE_INFLUX_DB: values.database }),
  ...(values.path === undefined ? {} : { EM_WRITE_DEAD_LETTER_PATH: values.path }),
});

const letters = await lettersOrExit('dead-letters:replay', config.deadLetterPath, { reason: values.reason, sinceMs, limit });

if (values['dry-run']) {
  let replayable = 0;
  for (const letter of letters) {
    const found = replayableLine(letter);
    if (!('why' in found)) replayable++;
    console.log('why' in found ? `skip   ${formatLetterLine(letter)}: ${found.why}` : `replay ${formatLetterLine(letter)}\n  ${quoted(found.line)}`);
  }
  console.log(`${letters.length} letters: ${replayable} to replay, ${letters.length - replayable} to skip (dry run: nothing written)`);
  process.exit(0);
}

const writer = createInfluxWriter({ ...config.influx, gzip: false });
let replays: readonly LetterReplay[];
let interrupted: string | undefined;
try {
  replays = await replayDeadLetters(letters, writer);
} catch (error) {
  if (!(error instanceof ReplayInterrupted)) throw error;
  replays = error.done;
  interrupted = error.message;
}

const counts = { stored: 0, refused: 0, skipped: 0 };
for (const { letter, outcome } of replays) {
  counts[outcome.kind]++;
  const why = outcome.kind === 'refused' ? `: ${quoted(outcome.message)}` : outcome.kind === 'skipped' ? `: ${outcome.why}` : '';
  console.log(`${outcome.kind.padEnd(8)}${formatLetterLine(letter)}${why}`);
}
console.log(`${letters.length} letters: ${counts.stored} stored, ${counts.refused} still refused, ${counts.skipped} skipped${interrupted === undefined ? '' : `, ${letters.length - replays.length} not tried`}`);
if (interrupted !== undefined) {
  console.error(`dead-letters:replay: stopped: ${interrupted}`);
  process.exit(1);
}
process.exit(counts.refused > 0 ? 3 : 0);
