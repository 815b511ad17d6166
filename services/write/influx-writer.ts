// The InfluxDB port: posts line protocol to the v1 HTTP API (`POST /write`), which InfluxDB 1.x
// serves natively and 2.x/3.x serve as a compatibility endpoint (docs/decisions/005-write-path.md).
// It only classifies answers; what to do about them (retry, bisect, dead-letter) is the consumer's.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

export type WriteOutcome =
  | { readonly kind: 'ok' }
  /** 400 (1.x/3.x) or 422 (2.x): some points can never be stored; `message` is InfluxDB's. */
  | { readonly kind: 'rejected'; readonly status: number; readonly message: string }
  | { readonly kind: 'databaseMissing'; readonly message: string }
  | { readonly kind: 'tooLarge'; readonly message: string }
  /** 5xx, auth and other unexpected answers, network errors, timeouts: try the same body later. */
  | { readonly kind: 'retryable'; readonly message: string; readonly status?: number };

export type WriteOutcomeKind = WriteOutcome['kind'];

/** Every answer but 'ok', for metrics labels (em_write_influx_errors_total). */
export const WRITE_ERROR_KINDS = ['rejected', 'databaseMissing', 'tooLarge', 'retryable'] as const satisfies readonly Exclude<WriteOutcomeKind, 'ok'>[];
// Compile-time check that the list names every kind.
const everyErrorKind: Exclude<WriteOutcomeKind, 'ok'> extends (typeof WRITE_ERROR_KINDS)[number] ? true : never = true;
void everyErrorKind;

export interface InfluxWriter {
  /** Posts newline-separated lines (text, or its UTF-8); `signal` abandons the request (the batch simply replays). */
  writeBatch(body: string | Uint8Array, signal?: AbortSignal): Promise<WriteOutcome>;
  /** `CREATE DATABASE` (idempotent in InfluxQL): 'ok' or 'retryable'. */
  createDatabase(signal?: AbortSignal): Promise<WriteOutcome>;
}

export interface InfluxWriterOptions {
  readonly url: string;
  readonly database: string;
  readonly retentionPolicy?: string;
  readonly username?: string;
  readonly password?: string;
  /** InfluxDB 2.x/3.x: `Authorization: Token …` on their v1-compatible endpoints. */
  readonly token?: string;
  readonly gzip: boolean;
  /** zlib level; 1 is ~2.5× faster than the default 6 and shrinks our lines 6–7× (6: 8×). */
  readonly gzipLevel?: number;
  readonly requestTimeoutMs: number;
}

export function createInfluxWriter(options: InfluxWriterOptions): InfluxWriter {
  const base = options.url.replace(/\/+$/, '');
  const writeParams = new URLSearchParams({ db: options.database, precision: 'ms' });
  if (options.retentionPolicy !== undefined) writeParams.set('rp', options.retentionPolicy);
  const writeUrl = new URL(`${base}/write?${writeParams.toString()}`);
  const queryUrl = new URL(`${base}/query`);
  const auth = authorizationHeader(options);
  // Kept-alive connections, one per request in flight. node:http rather than fetch: fetch's
  // streams and objects cost the write service about a tenth of its CPU, and it copies every body
  // (docs/benchmarks.md, ingest spine, "Seventh look").
  const transport: Transport =
    writeUrl.protocol === 'https:' ? { agent: new HttpsAgent({ keepAlive: true }), request: httpsRequest } : { agent: new HttpAgent({ keepAlive: true }), request: httpRequest };

  return {
    async writeBatch(body, signal) {
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', ...auth };
      let payload: string | Uint8Array = body;
      if (options.gzip) {
        payload = await gzip(body, { level: options.gzipLevel ?? 1 });
        headers['content-encoding'] = 'gzip';
      }
      return post(writeUrl, transport, { headers, body: payload }, options.requestTimeoutMs, signal, classifyWrite);
    },
    createDatabase(signal) {
      const form = new URLSearchParams({ q: `CREATE DATABASE ${quoteIdentifier(options.database)}` });
      const init = { headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: form.toString() };
      return post(queryUrl, transport, init, options.requestTimeoutMs, signal, classifyQuery);
    },
  };
}

type Classify = (status: number, text: string) => WriteOutcome;

/** http or https, picked once from the URL, with its kept-alive agent. */
interface Transport {
  readonly agent: HttpAgent;
  readonly request: typeof httpRequest;
}

function post(
  url: URL,
  transport: Transport,
  init: { readonly headers: Record<string, string>; readonly body: string | Uint8Array },
  timeoutMs: number,
  signal: AbortSignal | undefined,
  classify: Classify,
): Promise<WriteOutcome> {
  return new Promise((resolve) => {
    const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
    let settled = false;
    const settle = (outcome: WriteOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const request = transport.request(url, { method: 'POST', agent: transport.agent, headers: { ...init.headers, 'content-length': String(body.byteLength) } }, (response: IncomingMessage) => {
      // Always read the body: an unread body keeps the connection from being reused.
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => settle(classify(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      response.on('error', (err) => settle({ kind: 'retryable', message: err.message }));
    });
    // The whole exchange, body included, within timeoutMs; a stop abandons it (the batch replays).
    const timer = setTimeout(() => {
      settle({ kind: 'retryable', message: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    const onAbort = (): void => {
      settle({ kind: 'retryable', message: 'abandoned (stopping)' });
      request.destroy();
    };
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'retryable', message: err.code === undefined ? err.message : `${err.message} (${err.code})` }));
    request.end(body);
  });
}

/** v1 `/write` status codes (InfluxDB HTTP API reference). */
export function classifyWrite(status: number, text: string): WriteOutcome {
  if (status === 204) return { kind: 'ok' };
  const message = errorMessage(status, text);
  if (status === 400 || status === 422) return { kind: 'rejected', status, message };
  if (status === 404) return { kind: 'databaseMissing', message };
  if (status === 413) return { kind: 'tooLarge', message };
  // 5xx (overloaded, shutting down), 401/403 (credentials: an operator must fix them, the
  // journal holds the readings meanwhile), anything unexpected: never drop data for it.
  return { kind: 'retryable', status, message };
}

/** `/query` answers 200 even for failed statements; the error is inside `results`. */
function classifyQuery(status: number, text: string): WriteOutcome {
  if (status === 200) {
    const statementError = /"error"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
    return statementError === undefined ? { kind: 'ok' } : { kind: 'retryable', status, message: statementError };
  }
  return { kind: 'retryable', status, message: errorMessage(status, text) };
}

const MAX_MESSAGE_CHARS = 2_000;

/** InfluxDB answers `{"error":"…"}`; fall back to the raw text for proxies and other servers. */
function errorMessage(status: number, text: string): string {
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'string') {
      message = parsed.error;
    }
  } catch {
    // Not JSON: keep the text.
  }
  if (message === '') return `HTTP ${status}`;
  // 1.x echoes the refused line before the reason ("unable to parse '<line>': <reason>"), so a
  // long message keeps its head and its tail.
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const half = MAX_MESSAGE_CHARS / 2;
  return `${message.slice(0, half)}…${message.slice(-half)}`;
}

function authorizationHeader(options: InfluxWriterOptions): Record<string, string> {
  if (options.token !== undefined) return { authorization: `Token ${options.token}` };
  if (options.username === undefined) return {};
  const credentials = Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
  return { authorization: `Basic ${credentials}` };
}

/** An InfluxQL identifier in double quotes, with `"` and `\` escaped. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}
