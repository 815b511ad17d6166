// Starts the alerts service: `tsx services/alerts/main.ts` (config from EM_ALERTS_* variables).
import '../../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../../lib/log.js';
import { stopOnSignal } from '../../lib/process/stop-on-signal.js';
import { createAlertsService } from './app.js';
import { describeConfig, loadAlertsConfig } from './config.js';

const log = createLogger('alerts');
const config = loadAlertsConfig();
const service = await createAlertsService(config, { log });
const addresses = await service.start();
log.info({ ...addresses, config: describeConfig(config) }, 'alerts service started');

stopOnSignal(log, 'alerts service', () => service.stop());
