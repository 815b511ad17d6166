// Starts the write service: `tsx services/write/main.ts` (config from EM_WRITE_* variables).
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
