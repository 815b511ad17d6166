// The agent's /metrics, /healthz and /readyz. A port already taken is a configuration mistake
// (another agent, or another service, on the same port): a clear message and exit 2, not an
// EADDRINUSE stack and a restart loop under systemd.
import type { Registry } from 'prom-client';
import { ConfigError } from '../lib/config/load-config.js';
import { startMetricsServer, type MetricsServer } from '../lib/metrics/metrics-server.js';
import type { Readiness } from '../lib/metrics/readiness.js';

export async function startAgentMetricsServer(options: {
  readonly registry: Registry;
  readonly port: number;
  readonly readiness: Readiness;
  /** The variable that set the port, for the message. */
  readonly variable: string;
}): Promise<MetricsServer> {
  try {
    return await startMetricsServer(options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const why = code === 'EADDRINUSE' ? 'is already in use' : 'may not be used by this user';
      throw new ConfigError(`${options.variable}=${options.port}: port ${options.port} on 127.0.0.1 ${why}; choose another one, or 0 to switch metrics off`);
    }
    throw err;
  }
}
