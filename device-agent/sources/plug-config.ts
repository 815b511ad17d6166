// Which smart plugs one agent polls. From the environment as `name=url` pairs separated by commas:
//   EM_AGENT_PLUGS=kitchen=http://192.168.1.20,washer=http://192.168.1.21#1
// The URL fragment selects the switch/channel of a multi-channel device (default 0); a fragment is
// never sent over HTTP, so it cannot collide with the device's own query syntax.
import { deviceIdProblem } from '../device-id-problem.js';

export interface PlugConfig {
  /** Becomes the device id of the plug's measurements. */
  readonly deviceId: string;
  /** Scheme, host and optional port, without a trailing slash: `http://192.168.1.20`. */
  readonly baseUrl: string;
  readonly channel: number;
}

export function parsePlugList(text: string): PlugConfig[] {
  const plugs = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(parsePlug);
  const ids = new Set(plugs.map((p) => p.deviceId));
  if (ids.size !== plugs.length) throw new Error('plug names must be unique');
  return plugs;
}

function parsePlug(item: string): PlugConfig {
  const equals = item.indexOf('=');
  if (equals < 1) throw new Error(`expected name=url, got ${JSON.stringify(item)}`);
  const deviceId = item.slice(0, equals).trim();
  // Readings of a name the broker refuses would dead-letter every container that carries them.
  const problem = deviceIdProblem(deviceId);
  if (problem !== undefined) throw new Error(`plug name ${JSON.stringify(shorten(deviceId))}: ${problem}`);
  let url: URL;
  try {
    url = new URL(item.slice(equals + 1).trim());
  } catch {
    throw new Error(`plug ${deviceId}: not a URL: ${JSON.stringify(item.slice(equals + 1))}`);
  }
  if (url.protocol !== 'http:') throw new Error(`plug ${deviceId}: only http:// is supported, got ${url.protocol}`);
  const channel = url.hash === '' ? 0 : Number(url.hash.slice(1));
  if (!Number.isInteger(channel) || channel < 0) throw new Error(`plug ${deviceId}: bad channel ${url.hash}`);
  return { deviceId, baseUrl: `${url.protocol}//${url.host}`, channel };
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
