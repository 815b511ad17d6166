// Polls smart plugs over HTTP on the local network, all plugs of one poll in parallel.
// A plug that is unplugged, slow or answers nonsense costs its own readings for that poll, a warning
// and a metric, never the agent: one flaky plug must not stop the others from being recorded.
import type { Measurement } from '../../proto/container.js';
import type { Logger } from '../../lib/log.js';
import type { MeterSource } from './meter-source.js';
import type { PlugConfig } from './plug-config.js';
import { PlugReadError, type PlugFailure } from './plug-read-error.js';

/** Shelly Switch.GetStatus and Tasmota Status 8 answer well under 2 KiB. */
export const MAX_PLUG_BODY_BYTES = 64 * 1024;

export interface PlugErrorReport {
  readonly source: string;
  readonly deviceId: string;
  readonly reason: PlugFailure;
  readonly detail: string;
}

export interface HttpPlugSourceOptions {
  readonly plugs: readonly PlugConfig[];
  /** Whole request including the body; keep it well below the sample interval. */
  readonly timeoutMs: number;
  /** Larger bodies are abandoned as 'too-large'. Default 64 KiB, far above any status a plug sends. */
  readonly maxBodyBytes?: number;
  readonly log: Logger;
  readonly onError?: (report: PlugErrorReport) => void;
}

export interface PlugProtocol {
  path(plug: PlugConfig): string;
  /** Throws PlugReadError for a body it cannot use. */
  measurements(body: string, plug: PlugConfig, nowMs: number): Measurement[];
}

async function fetchBody(url: string, timeoutMs: number, maxBytes: number): Promise<string> {
  let response: Response;
  try {
    // Redirects are not followed: a plug does not redirect its status API, and an address that does
    // now belongs to something else (a new DHCP lease, a router's login page), whose answer must not
    // be recorded under the plug's name.
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (err) {
    throw toPlugError(err);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    throw new PlugReadError('http-status', `HTTP ${response.status}${location === null ? '' : `, redirect to ${location.slice(0, 200)} not followed`}`);
  }
  try {
    return await readCappedText(response, maxBytes);
  } catch (err) {
    throw err instanceof PlugReadError ? err : toPlugError(err);
  }
}

/**
 * The body as text, read as a stream and abandoned past `maxBytes`: response.text() would buffer
 * whatever a broken or hostile device sends (a 300 MB body ended a 256 MB-heap agent, and with it
 * every other plug's readings).
 */
async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = (): PlugReadError => new PlugReadError('too-large', `body over ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel(); // closes the connection: nothing more is read from the device
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function toPlugError(err: unknown): PlugReadError {
  const error = err as Error;
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError.
  if (error.name === 'TimeoutError') return new PlugReadError('timeout', error.message);
  const cause = (error.cause as Error | undefined)?.message;
  return new PlugReadError('network', cause ?? error.message);
}

export function createHttpPlugSource(name: string, options: HttpPlugSourceOptions, protocol: PlugProtocol): MeterSource {
  const readPlug = async (plug: PlugConfig, nowMs: number): Promise<Measurement[]> => {
    const url = `${plug.baseUrl}${protocol.path(plug)}`;
    try {
      return protocol.measurements(await fetchBody(url, options.timeoutMs, options.maxBodyBytes ?? MAX_PLUG_BODY_BYTES), plug, nowMs);
    } catch (err) {
      if (!(err instanceof PlugReadError)) throw err;
      options.log.warn({ source: name, deviceId: plug.deviceId, url, reason: err.reason, err: err.message }, 'plug read failed');
      options.onError?.({ source: name, deviceId: plug.deviceId, reason: err.reason, detail: err.message });
      return [];
    }
  };
  return {
    name,
    async read(nowMs) {
      const perPlug = await Promise.all(options.plugs.map((plug) => readPlug(plug, nowMs)));
      return perPlug.flat();
    },
  };
}
