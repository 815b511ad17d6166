// Starts the write service: `tsx services/write/main.ts` (config from EM_WRITE_* variables).
import { createLogger } from '../../lib/log.js';
import { createWriteService } from './app.js';
import { describeConfig, loadWriteConfig } from './config.js';

const log = createLogger('write');
const config = loadWriteConfig();
const service = createWriteService(config, { log });
const addresses = await service.start();
log.info({ ...addresses, config: describeConfig(config) }, 'write service started');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping write service');
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}
