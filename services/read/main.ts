// Starts the read service: `tsx services/read/main.ts` (config from EM_READ_* variables).
import '../../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../../lib/log.js';
import { stopOnSignal } from '../../lib/process/stop-on-signal.js';
import { createReadService } from './app.js';
import { describeConfig, loadReadConfig } from './config.js';

const log = createLogger('read');
const config = loadReadConfig();
const service = await createReadService(config, { log });
const addresses = await service.start();
log.info({ ...addresses, config: describeConfig(config) }, 'read service started');

stopOnSignal(log, 'read service', () => service.stop());
