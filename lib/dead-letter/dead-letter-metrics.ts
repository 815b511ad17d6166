// The dead-letter store's own numbers, beside the per-reason counters each service keeps
// (em_broker_dead_letters_total, em_write_dead_letters_total): what its budget cost, read at scrape.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeadLetterSource, DeadLetterStoreStats } from './dead-letter-store.js';

export function registerDeadLetterStoreMetrics(registry: Registry, service: DeadLetterSource, stats: () => DeadLetterStoreStats): void {
  const registers = [registry];
  // Counters from totals kept by the store: each scrape adds what grew since the last one.
  let evictedSeen = 0;
  let truncatedSeen = 0;
  new Counter({
    name: `em_${service}_dead_letters_evicted_total`,
    help: 'Dead letters removed, oldest first, to keep the store within its byte budget',
    registers,
    collect() {
      const { evictedTotal } = stats();
      this.inc(evictedTotal - evictedSeen);
      evictedSeen = evictedTotal;
    },
  });
  new Counter({
    name: `em_${service}_dead_letters_truncated_total`,
    help: 'Dead letters whose payload was cut to the kept prefix (its original size is recorded)',
    registers,
    collect() {
      const { truncatedTotal } = stats();
      this.inc(truncatedTotal - truncatedSeen);
      truncatedSeen = truncatedTotal;
    },
  });
  new Gauge({
    name: `em_${service}_dead_letter_store_bytes`,
    help: 'Bytes of LMDB pages the dead letters occupy (held within the byte budget)',
    registers,
    collect() {
      this.set(stats().bytesInUse);
    },
  });
}
