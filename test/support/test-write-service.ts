// The real write service in-process, draining a test broker's journal into a test database.
import { inject } from 'vitest';
import { createWriteService } from '../../services/write/app.js';
import { loadWriteConfig } from '../../services/write/config.js';
import { silentLogger } from '../../lib/log.js';

export interface TestWriteService {
  readonly metricsPort: number;
  stop(): Promise<void>;
}

export async function startTestWriteService(options: {
  readonly journalPath: string;
  readonly database: string;
  readonly deadLetterPath: string;
  readonly influxUrl?: string;
}): Promise<TestWriteService> {
  const service = createWriteService(
    loadWriteConfig({
      EM_WRITE_INFLUX_URL: options.influxUrl ?? inject('influxUrl'),
      EM_WRITE_INFLUX_DB: options.database,
      EM_WRITE_JOURNAL_PATH: options.journalPath,
      EM_WRITE_DEAD_LETTER_PATH: options.deadLetterPath,
      EM_WRITE_METRICS_PORT: '0',
    }),
    { log: silentLogger() },
  );
  const { metricsPort } = await service.start();
  return { metricsPort, stop: () => service.stop() };
}
