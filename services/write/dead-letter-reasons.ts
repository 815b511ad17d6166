// The write service's dead-letter reasons (docs/dead-letters.md documents each one).

export const WRITE_DEAD_LETTER_REASONS = [
  /** A journal entry that does not decode (the broker validated it, so this should not happen). */
  'decode',
  /**
   * A container with a tag value InfluxDB cannot store exactly (a line feed, "#!~#", …): the broker
   * refuses those, so only an older journal can hold one.
   */
  'unstorable',
  /** InfluxDB 1.x/3.x refused the line (parse error, field type conflict, out-of-range time…). */
  'influx-400',
  /** One line larger than InfluxDB accepts in a request body. */
  'influx-413',
  /** InfluxDB 2.x refused the line as unprocessable (schema conflict, retention window). */
  'influx-422',
] as const;

export type WriteDeadLetterReason = (typeof WRITE_DEAD_LETTER_REASONS)[number];

const INFLUX_REFUSAL_REASONS: ReadonlySet<string> = new Set<WriteDeadLetterReason>(['influx-400', 'influx-413', 'influx-422']);

/** A reason refusalReason gives: a letter with it holds the one line InfluxDB refused. */
export function isInfluxRefusal(reason: string): boolean {
  return INFLUX_REFUSAL_REASONS.has(reason);
}

/** The reason for a line InfluxDB refused with `status`. */
export function refusalReason(status: number): WriteDeadLetterReason {
  if (status === 413) return 'influx-413';
  if (status === 422) return 'influx-422';
  return 'influx-400';
}
