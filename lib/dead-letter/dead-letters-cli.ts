// The operator's tool for a dead-letter store (docs/dead-letters.md, docs/monitoring.md
// ReadingsDeadLettered): what was refused, when, from whom, why. Safe beside a running broker or
// write service (a read-only LMDB reader); never creates a store. Usage: USAGE below.
import { parseCommandLine } from '../cli/command-line.js';
import { formatLetterLine, letterJson, PAYLOAD_FORMATS, type PayloadFormat } from './format-dead-letter.js';
import { lettersOrExit, sinceOption } from './letters-for-tool.js';

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
const sinceMs = sinceOption(values.since, (message) => cli.fail(message));
const format = values.payload as PayloadFormat | undefined;
if (format !== undefined && !PAYLOAD_FORMATS.includes(format)) cli.fail(`--payload must be one of ${PAYLOAD_FORMATS.join(', ')}, got "${format}"`);

const letters = await lettersOrExit('dead-letters', path, { reason: values.reason, sinceMs, limit });
for (const letter of letters) console.log(values.json ? JSON.stringify(letterJson(letter, format)) : formatLetterLine(letter, format));
