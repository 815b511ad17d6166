// Starts the web server: `tsx web/server/main.ts` (config from EM_WEB_* variables). Serves the
// built app from web/dist (`npm run web:build`) and prints its URL.
import '../../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../../lib/log.js';
import { stopOnSignal } from '../../lib/process/stop-on-signal.js';
import { buildWebServer } from './app.js';
import { loadWebConfig } from './config.js';
import { createWebObservability } from './web-observability.js';

const log = createLogger('web');
const config = loadWebConfig();
const observability = createWebObservability(config);
const app = await buildWebServer(config, { log, metrics: observability.metrics });
await app.listen({ host: config.host, port: config.port });
const metricsServer = await observability.start();
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : config.port;
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
log.info({ port, metricsPort: metricsServer.port, authUrl: config.authUrl, readUrl: config.readUrl, prometheusUrl: config.prometheus?.url }, 'web server started');
console.log(`Energymonitor web app: http://${shownHost}:${port}/`);

stopOnSignal(log, 'web server', async () => {
  await app.close();
  await metricsServer.close();
});
