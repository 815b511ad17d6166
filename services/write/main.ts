// Starts the write service: `tsx services/write/main.ts` (config from EM_WRITE_* variables). The start
// command adds V8 flags (lib/process/service-node-flags.ts); by hand: NODE_OPTIONS=--max-semi-space-size=32.
import '../../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../../lib/log.js';
import { createWriteService } from './app.js';
import { describeConfig, loadWriteConfig } from './config.js';
import { stopOnSignal } from '../../lib/process/stop-on-signal.js';

const log = createLogger('write');
const config = loadWriteConfig();
const service = createWriteService(config, { log });
const addresses = await service.start();
log.info({ ...addresses, config: describeConfig(config) }, 'write service started');

stopOnSignal(log, 'write service', () => service.stop());
