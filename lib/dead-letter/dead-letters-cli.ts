// The operator's tool for a dead-letter store (docs/dead-letters.md, docs/monitoring.md
// ReadingsDeadLettered): what was refused, when, from whom, why. Safe beside a running broker or
// write service (a read-only LMDB reader); never creates a store. Usage: USAGE below.
import { parseCommandLine } from '../cli/command-line.js';
import { DeadLetterStoreNotFound, openDeadLetterReader } from './dead-letter-reader.js';
import { formatLetterLine, letterJson, PAYLOAD_FORMATS, type PayloadFormat } from './format-dead-letter.js';

const USAGE = `npm run dead-letters -- --path DIR [options]
  Lists the letters of a dead-letter store, oldest first: time, source, reason, detail, client /
  correlation id / topic, payload size. Reads while the broker or write service runs.

  --path DIR           the store: .data/broker-dead-letters or .data/write-dead-letters
                       (EM_BROKER_DEAD_LETTER_PATH, EM_WRITE_DEAD_LETTER_PATH)
  --reason R           only this reason (docs/dead-letters.md), e.g. too-large, influx-400
  --since ISO          only letters recorded at or after this time, e.g. 2026-11-24T08:00:00Z
  --limit N            the newest N matching letters                   default 100
  --payload FORMAT     also show the kept payload: hex | base64 | decoded (a container as JSON,
                       else the text, e.g. a line-protocol line)
  --json               one JSON object per line instead of text
  -h, --help           this text`;

const cli = parseCommandLine(USAGE, {
  path: { type: 'string' },
  reason: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string', default: '100' },
  payload: { type: 'string' },
  json: { type: 'boolean', default: false },
});
const { values } = cli;
const path = values.path ?? cli.fail('--path is required');
const limit = cli.number('limit', { min: 1, integer: true });
const sinceMs = values.since === undefined ? undefined : Date.parse(values.since);
if (sinceMs !== undefined && Number.isNaN(sinceMs)) cli.fail(`--since must be an ISO time, got "${values.since}"`);
const format = values.payload as PayloadFormat | undefined;
if (format !== undefined && !PAYLOAD_FORMATS.includes(format)) cli.fail(`--payload must be one of ${PAYLOAD_FORMATS.join(', ')}, got "${format}"`);

let reader;
try {
  reader = openDeadLetterReader(path);
} catch (error) {
  if (!(error instanceof DeadLetterStoreNotFound)) throw error;
  console.error(`dead-letters: ${error.message}`);
  process.exit(1);
}
const letters = reader.letters({ reason: values.reason, sinceMs, limit });
await reader.close();
for (const letter of letters) console.log(values.json ? JSON.stringify(letterJson(letter, format)) : formatLetterLine(letter, format));
