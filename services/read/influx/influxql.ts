// Building blocks for InfluxQL text. Every value that comes from a request or a device goes
// through these: identifiers in double quotes, strings in single quotes, backslash-escaped.

export function ident(name: string): string {
  return `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function str(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** `time >= from AND time < to` with millisecond literals. */
export function timeRange(fromMs: number, toMs: number): string {
  return `time >= ${Math.floor(fromMs)}ms AND time < ${Math.ceil(toMs)}ms`;
}

/** `"db"."rp"."reading"` */
export function qualified(database: string, retentionPolicy: string, measurement: string): string {
  return `${ident(database)}.${ident(retentionPolicy)}.${ident(measurement)}`;
}

/** `GROUP BY time(<step>ms)` step literal. */
export function step(ms: number): string {
  return `${ms}ms`;
}
