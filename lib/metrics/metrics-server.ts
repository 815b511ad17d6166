// Every process serves Prometheus text format on GET /metrics, liveness on GET /healthz and
// readiness on GET /readyz (200 when every dependency check passes, 503 naming those that fail).
import { createServer, type ServerResponse, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A registry with the process metrics (RSS, CPU, event-loop lag) already registered. */
export function createProcessRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  return registry;
}

export async function startMetricsServer(options: {
  readonly registry: Registry;
  readonly port: number;
  readonly host?: string;
  /** Dependency checks for /readyz; without them a live process counts as ready. */
  readonly readiness?: Readiness;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics collection failed: ${String(err)}`);
        },
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    if (req.method === 'GET' && req.url === '/readyz') {
      answerReadiness(res, options.readiness);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found: try /metrics, /healthz or /readyz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answerReadiness(res: ServerResponse, readiness: Readiness | undefined): void {
  if (readiness === undefined) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ready","checks":[]}');
    return;
  }
  readiness.check().then(
    (report) => {
      res.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: report.ready ? 'ready' : 'not ready', checks: report.checks }));
    },
    (err: unknown) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'not ready', checks: [], reason: String(err) }));
    },
  );
}
