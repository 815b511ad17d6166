// Starts the broker process: `tsx broker/main.ts` (config from EM_BROKER_* variables).
import '../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../lib/log.js';
import { createBroker } from './app.js';
import { loadBrokerConfig } from './config.js';
import { openAuthDeps } from './open-auth-deps.js';
import { stopOnSignal, type ProcessStop } from '../lib/process/stop-on-signal.js';

const log = createLogger('broker');
const config = loadBrokerConfig();
const authDeps = openAuthDeps(config.auth, log);
// A journal flush the disk did not confirm in time: stop and exit 1, for the supervisor to start
// a new broker (broker/journal-flush-watch.ts).
const processStop: { current?: ProcessStop } = {};
const broker = await createBroker(config, { log, ...authDeps, onJournalUnconfirmed: (err) => processStop.current?.failed(err.message) });
const addresses = await broker.start();
log.info({ ...addresses, host: config.host, journalPath: config.journalPath, auth: config.auth.mode }, 'broker listening');

processStop.current = stopOnSignal(log, 'broker', async () => {
  await broker.stop();
  await authDeps.close();
});
