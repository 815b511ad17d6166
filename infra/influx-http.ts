// The InfluxDB 1.x HTTP API pieces infra and tests need: /ping and /query (InfluxQL, JSON).
// Errors come either as {"error": …} (whole request) or per statement in results[i].error.
import { z } from 'zod';

const seriesSchema = z.object({
  name: z.string().default(''),
  tags: z.record(z.string(), z.string()).default({}),
  columns: z.array(z.string()),
  // Rows are checked to be arrays, not element by element: a year of hours is 26,000 rows, and
  // copying each through a validator costs more than the query. Readers check cell types themselves.
  values: z.custom<unknown[][]>((v) => Array.isArray(v), 'values must be an array of rows').default([]),
});

const responseSchema = z.object({
  error: z.string().optional(),
  results: z
    .array(z.object({ statement_id: z.number().optional(), error: z.string().optional(), series: z.array(seriesSchema).optional() }))
    .optional(),
});

export type InfluxSeries = z.infer<typeof seriesSchema>;

/** True when GET /ping answers 204 within `timeoutMs`. */
export async function pingInflux(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 204;
  } catch {
    return false;
  }
}

/**
 * POSTs InfluxQL to /query (POST, because CREATE/DROP are refused over GET) with epoch=ms and
 * returns every series of every statement; throws on any request or statement error.
 */
export async function postInfluxQuery(url: string, influxql: string, database?: string): Promise<InfluxSeries[]> {
  const form = new URLSearchParams({ q: influxql, epoch: 'ms' });
  if (database !== undefined) form.set('db', database);
  const response = await fetch(`${url}/query`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return parseInfluxQueryResponse(text, `${response.status} ${influxql}`);
}

/** Parses a 1.x /query JSON body; `context` names the request in error messages. */
export function parseInfluxQueryResponse(body: string, context: string): InfluxSeries[] {
  return parseInfluxStatementResults(body, context).flat();
}

/** parseInfluxQueryResponse, per statement (see influxStatementResults). */
export function parseInfluxStatementResults(body: string, context: string): InfluxSeries[][] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`InfluxDB query ${context}: not JSON: ${body.slice(0, 200)}`);
  }
  return influxStatementResults(json, context, () => body.slice(0, 200));
}

/** The series of a decoded /query body (JSON or MessagePack: the same structure). */
export function influxQueryResult(decoded: unknown, context: string, preview: () => string): InfluxSeries[] {
  return influxStatementResults(decoded, context, preview).flat();
}

/**
 * The series of each statement of a decoded /query body, in statement order: one request may carry
 * several statements separated by semicolons, and InfluxDB answers each in a result of its own
 * (`statement_id`). A statement without rows has an empty list.
 */
export function influxStatementResults(decoded: unknown, context: string, preview: () => string): InfluxSeries[][] {
  const parsed = responseSchema.safeParse(decoded);
  if (!parsed.success) throw new Error(`InfluxDB query ${context}: unexpected response ${preview()}`);
  const { error, results = [] } = parsed.data;
  const failure = error ?? results.find((result) => result.error !== undefined)?.error;
  if (failure !== undefined) throw new Error(`InfluxDB query ${context}: ${failure}`);
  const byStatement: InfluxSeries[][] = results.map(() => []);
  for (const [index, result] of results.entries()) {
    const id = result.statement_id ?? index;
    byStatement[id >= 0 && id < results.length ? id : index] = result.series ?? [];
  }
  return byStatement;
}

/** InfluxQL identifier for a database name we generate; refuses anything that needs escaping. */
export function quoteInfluxDatabaseName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(name)) {
    throw new Error(`invalid InfluxDB database name ${JSON.stringify(name)}: use letters, digits, _ and -`);
  }
  return `"${name}"`;
}
