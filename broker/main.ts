// Starts the broker process: `tsx broker/main.ts` (config from EM_BROKER_* variables).
import { createLogger } from '../lib/log.js';
import { createBroker } from './app.js';
import { loadBrokerConfig } from './config.js';
import { stopOnSignal } from '../lib/process/stop-on-signal.js';

const log = createLogger('broker');
const config = loadBrokerConfig();
const broker = await createBroker(config, { log });
const addresses = await broker.start();
log.info({ ...addresses, host: config.host, journalPath: config.journalPath }, 'broker listening');

stopOnSignal(log, 'broker', () => broker.stop());
