// The dead-letter store's own numbers, beside the per-reason counters each service keeps
// (em_broker_dead_letters_total, em_write_dead_letters_total): what its budget cost, read at scrape.
import { Gauge, type Registry } from 'prom-client';
import { registerTotalCounter } from '../metrics/total-counter.js';
import type { DeadLetterSource, DeadLetterStoreStats } from './dead-letter-store.js';

export function registerDeadLetterStoreMetrics(registry: Registry, service: DeadLetterSource, stats: () => DeadLetterStoreStats): void {
  // Counters from totals kept by the store, read at scrape time.
  registerTotalCounter(
    registry,
    { name: `em_${service}_dead_letters_evicted_total`, help: 'Dead letters removed, oldest first, to keep the store within its byte budget' },
    () => stats().evictedTotal,
  );
  registerTotalCounter(
    registry,
    { name: `em_${service}_dead_letters_truncated_total`, help: 'Dead letters whose payload was cut to the kept prefix (its original size is recorded)' },
    () => stats().truncatedTotal,
  );
  new Gauge({
    name: `em_${service}_dead_letter_store_bytes`,
    help: 'Bytes of LMDB pages the dead letters occupy (held within the byte budget)',
    registers: [registry],
    collect() {
      this.set(stats().bytesInUse);
    },
  });
}
