// InfluxDB line protocol (v1, as parsed by InfluxDB 1.6.7) for the `reading` schema:
//   reading,agent=A,device=D,household=H,quantity=Q value=<float>,seq=<int>i <epoch ms>
// Escaping rules follow the line-protocol reference; every claim about what 1.6.7 accepts was
// checked against a real influxd (services/write/test/line-protocol.int.test.ts and
// docs/decisions/005-write-path.md).
import type { ReadingContainer } from '../../proto/container.js';

export const MEASUREMENT = 'reading';

// Measurement names: escape `,` and space (line protocol: "Measurement — comma, space").
const MEASUREMENT_SPECIAL = /[, ]/;
const MEASUREMENT_SPECIAL_ALL = /[, ]/g;
// Tag keys, tag values, field keys: escape `,` `=` and space. A backslash is NOT escaped: 1.6.7 has
// no `\\` escape in tags and keeps a backslash literally unless it precedes one of these three.
const KEY_SPECIAL = /[, =]/;
const KEY_SPECIAL_ALL = /[, =]/g;
// String field values: inside double quotes, escape `"` and `\`.
const STRING_FIELD_SPECIAL_ALL = /["\\]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Escapes a measurement name (`,` and space). */
export function escapeMeasurement(name: string): string {
  return MEASUREMENT_SPECIAL.test(name) ? name.replace(MEASUREMENT_SPECIAL_ALL, '\\$&') : name;
}

/** Escapes a tag key, tag value or field key (`,` `=` and space); the common case allocates nothing. */
export function escapeKey(text: string): string {
  return KEY_SPECIAL.test(text) ? text.replace(KEY_SPECIAL_ALL, '\\$&') : text;
}

export const escapeTagKey = escapeKey;
export const escapeTagValue = escapeKey;
export const escapeFieldKey = escapeKey;

/** A string field value, double-quoted with `"` and `\` escaped. */
export function formatStringField(value: string): string {
  return `"${value.replace(STRING_FIELD_SPECIAL_ALL, '\\$&')}"`;
}

/**
 * A float field value. JavaScript's shortest round-trip form is what 1.6.7 parses back to the same
 * double for every finite value, exponent forms included (`1e+21`, `5e-324`,
 * `1.7976931348623157e+308` — checked against the server). -0 prints as `0` (the sign of zero is
 * not kept). NaN and ±Infinity print as tokens 1.6.7 rejects with 400 (`invalid number`,
 * `invalid boolean`), so such a point ends in the dead-letter store instead of being rewritten.
 */
export function formatFloat(value: number): string {
  return String(value);
}

/** An integer field value: digits with the `i` suffix (without it the value would be a float). */
export function formatInteger(value: number): string {
  return `${value}i`;
}

// 1.6.7 refuses a point when series key + "#!~#" + field key exceeds 65,535 bytes (tsdb
// MaxKeyLength; the server reported `max key length exceeded: 65538 > 65535`). Three tags carry
// agent-supplied text; each gets a third of what the fixed parts leave, so no combination of
// acceptable values can exceed the limit.
const MAX_KEY_BYTES = 65_535;
const LONGEST_QUANTITY = 'reactive_power_var';
const FIXED_KEY_BYTES =
  `${MEASUREMENT},agent=,device=,household=,quantity=${LONGEST_QUANTITY}`.length + '#!~#value'.length;
export const MAX_TAG_VALUE_BYTES = Math.floor((MAX_KEY_BYTES - FIXED_KEY_BYTES) / 3);

/**
 * InfluxDB 1.x names a column in its TSM files and index as series key + "#!~#" + field key
 * (tsdb.SeriesFieldKey), and splits that name at the first "#!~#" when it reads the files back.
 * A tag value holding the separator is accepted by /write and reads back exactly until the cache
 * is snapshotted: after a restart the point belongs to a truncated series with a bogus field key,
 * which then shows up as a column of every `SELECT *` on the measurement.
 */
export const SERIES_FIELD_SEPARATOR = '#!~#';

/**
 * Whether SERIES_FIELD_SEPARATOR starts at bytes[i] and ends before `end`: for scans that already
 * walk a value byte by byte (call it where the byte is `#`, 0x23).
 */
export function separatorAt(bytes: Uint8Array, i: number, end: number): boolean {
  return i + 4 <= end && bytes[i] === 0x23 && bytes[i + 1] === 0x21 && bytes[i + 2] === 0x7e && bytes[i + 3] === 0x23;
}

/** Whether bytes[start, start + length) hold SERIES_FIELD_SEPARATOR (for checks on the wire format). */
export function holdsSeriesFieldSeparator(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (separatorAt(bytes, i, start + length)) return true;
  return false;
}

/**
 * Why a tag value cannot be stored and read back byte-exact by InfluxDB 1.6.7, or undefined if it
 * can. Found by writing and reading back each case (docs/decisions/005-write-path.md):
 * - empty: 400 `missing tag value`;
 * - ends with `\`: the backslash escapes the separator after it, 400 `invalid tag format`;
 * - contains a line feed: it ends the line, 400 `missing fields`;
 * - a lone UTF-16 surrogate: it cannot be encoded as UTF-8 and would arrive as U+FFFD;
 * - contains "#!~#": accepted, then read back as another series after a restart
 *   (SERIES_FIELD_SEPARATOR);
 * - longer than MAX_TAG_VALUE_BYTES escaped: the series key would exceed 65,535 bytes
 *   (400 `max key length exceeded`).
 * Everything else round-trips exactly: `,` `=` space (escaped), backslashes elsewhere (also
 * before an escaped character, like `a\,b`), quotes, tabs, CR, NUL and other controls, non-ASCII.
 */
export function tagValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'an empty tag value is rejected by InfluxDB (missing tag value)';
  if (value.endsWith('\\')) return 'a tag value ending in a backslash is rejected by InfluxDB (invalid tag format)';
  if (value.includes('\n')) return 'a line feed ends a line-protocol line, so InfluxDB cannot store it in a tag';
  if (LONE_SURROGATE.test(value)) return 'a tag value with a lone UTF-16 surrogate cannot be encoded as UTF-8';
  if (value.includes(SERIES_FIELD_SEPARATOR)) {
    return `a tag value holding "${SERIES_FIELD_SEPARATOR}" (InfluxDB's separator of series and field in its files) is read back as another series after a restart`;
  }
  // Escaping at most doubles a UTF-16 unit, and a unit is at most 3 bytes of UTF-8: short values
  // cannot be too long, and the broker checks every device id of every container here.
  if (value.length * 6 <= MAX_TAG_VALUE_BYTES) return undefined;
  const bytes = Buffer.byteLength(escapeTagValue(value), 'utf8');
  if (bytes > MAX_TAG_VALUE_BYTES) {
    return `a tag value of ${bytes} escaped bytes could exceed InfluxDB's 65535-byte series key (limit ${MAX_TAG_VALUE_BYTES})`;
  }
  return undefined;
}

/** A container with a tag value InfluxDB cannot store exactly (tagValueProblem); `message` says which and why. */
export class UnstorableContainerError extends Error {
  override readonly name = 'UnstorableContainerError';
}

/** Why one of the container's tag values cannot be stored exactly, or undefined if all can. */
export function containerTagProblem(container: ReadingContainer): string | undefined {
  const problemOf = (what: string, value: string): string | undefined => {
    const problem = tagValueProblem(value);
    return problem === undefined ? undefined : `${what} ${JSON.stringify(value)}: ${problem}`;
  };
  let problem = problemOf('household id', container.householdId) ?? problemOf('agent id', container.agentId);
  let lastDevice: string | undefined;
  for (const m of container.measurements) {
    if (problem !== undefined) break;
    if (m.deviceId !== lastDevice) problem = problemOf('device id', (lastDevice = m.deviceId));
  }
  return problem;
}

/**
 * The line-protocol lines of one container, one per measurement, tags sorted by key. Throws
 * UnstorableContainerError for a tag value InfluxDB would refuse, split into another line (a line
 * feed) or store as another series ("#!~#"): the broker refuses those, so only a journal written
 * before a check existed, or by something else, can hold one.
 */
export function containerToLines(container: ReadingContainer): string[] {
  const problem = containerTagProblem(container);
  if (problem !== undefined) throw new UnstorableContainerError(problem);
  const lines: string[] = [];
  appendContainerLines(container, lines);
  return lines;
}

/**
 * Appends a container's lines to `out` (the hot path: one template string per line, escaping only
 * when a special character is present). Unchecked: its callers generate their own ids;
 * containerToLines checks them first. Tags are in key order (agent, device, household,
 * quantity) as InfluxDB recommends. `quantity` comes from a closed set of [a-z_] names and needs
 * no escaping. The container's seq is repeated on every line for completeness reports.
 */
export function appendContainerLines(container: ReadingContainer, out: string[]): void {
  const agent = escapeTagValue(container.agentId);
  const household = escapeTagValue(container.householdId);
  const seqSuffix = `,seq=${formatInteger(container.seq)} `;
  let lastDevice = '';
  let lastDeviceEscaped = '';
  for (const m of container.measurements) {
    // Containers list several quantities per device in a row: escape each device id once.
    if (m.deviceId !== lastDevice) {
      lastDevice = m.deviceId;
      lastDeviceEscaped = escapeTagValue(m.deviceId);
    }
    out.push(
      `${MEASUREMENT},agent=${agent},device=${lastDeviceEscaped},household=${household},quantity=${m.quantity} value=${formatFloat(m.value)}${seqSuffix}${m.timestampMs}`,
    );
  }
}
