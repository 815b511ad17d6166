// Starts the broker process: `tsx broker/main.ts` (config from EM_BROKER_* variables).
import { createLogger } from '../lib/log.js';
import { createBroker } from './app.js';
import { loadBrokerConfig } from './config.js';

const log = createLogger('broker');
const config = loadBrokerConfig();
const broker = await createBroker(config, { log });
const addresses = await broker.start();
log.info({ ...addresses, host: config.host, journalPath: config.journalPath }, 'broker listening');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping broker');
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}
