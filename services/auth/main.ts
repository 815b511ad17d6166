// Starts the auth service: `tsx services/auth/main.ts` (config from EM_AUTH_* variables).
// If PostgreSQL is unreachable at start, migrating fails and the process exits non-zero: the
// supervisor restarts it. Once running, a database outage answers 503 and heals by itself.
import '../../lib/process/report-config-errors.js'; // first: config errors end the process cleanly
import { createLogger } from '../../lib/log.js';
import { stopOnSignal } from '../../lib/process/stop-on-signal.js';
import { createAuthService } from './app.js';
import { describeConfig, loadAuthConfig } from './config.js';

const log = createLogger('auth');
const config = loadAuthConfig();
const service = await createAuthService(config, { log });
const addresses = await service.start();
log.info({ ...addresses, config: describeConfig(config) }, 'auth service started');

stopOnSignal(log, 'auth service', () => service.stop());
