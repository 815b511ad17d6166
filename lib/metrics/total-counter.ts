// A Prometheus counter read from a running total that its owner keeps as a plain number (no
// prom-client call on the owner's path): each scrape adds what grew since the last one.
import { Counter, type Registry } from 'prom-client';

export interface TotalCounterSpec {
  readonly name: string;
  readonly help: string;
}

export function registerTotalCounter(registry: Registry, spec: TotalCounterSpec, total: () => number): void {
  let reported = 0;
  new Counter({
    ...spec,
    registers: [registry],
    collect() {
      const now = total();
      this.inc(now - reported);
      reported = now;
    },
  });
}
