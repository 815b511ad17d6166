// Per-node figures the capacity model starts from, each with where it was measured. A "node" is
// the benchmark machine: 2 vCPU, 24 GiB, virtio disk (docs/benchmarks.md). Re-measure and update
// these when a benchmark moves; `npm run capacity -- --<figure> N` tries other values.
import type { NodeCapacity } from './capacity-model.js';

export type FigureSource = { readonly [K in keyof NodeCapacity]: string };

export const MEASURED_NODE: NodeCapacity = {
  brokerMessagesPerS: 32_768,
  brokerConnectionsPerProcess: 19_000,
  brokerProcessesPerNode: 2,
  brokerKbPerConnection: 6,
  writerPointsPerS: 355_128,
  influxPointsPerS: 100_117,
  influxSeriesPerNode: 10_000_000,
  readStreamsPerProcess: 10_000,
  readEventsPerS: 15_000,
  readProcessesPerNode: 2,
};

export const FIGURE_SOURCES: FigureSource = {
  brokerMessagesPerS: 'pipeline maximum acknowledged, broker + write service + InfluxDB + generator on the same 2 cores (bench:ingest, 50 agents, ingest spine, "Seventh look": 32.8–48.9k) — a floor for the broker alone, which acknowledged 88–103k with only the generator beside it',
  brokerConnectionsPerProcess: 'open-file limit 20,000 per process (ulimit -Hn) less the journal, listeners and logs',
  brokerProcessesPerNode: 'one event loop per core',
  brokerKbPerConnection: 'RSS per idle agent held by one broker process after a full GC, 5.6–5.8 KB (perftest --mode connection-storm, 19,000 agents)',
  writerPointsPerS: 'write service draining a full journal into InfluxDB on the same 2 cores (perftest --mode write-only, ingest spine, "Sixth look": 355–435k with the current code, bound by InfluxDB)',
  influxPointsPerS: 'InfluxDB 1.6.7 raw line-protocol ingest, generator on the same cores, 20,000 households (220,000 series, mostly new; bench:ingest raw phase, 77–100k). Series that already exist go faster (550 series: 208–233k), so this is the conservative figure',
  influxSeriesPerNode: 'InfluxData sizing guidance for one 1.x node, beyond which it recommends a cluster (not measured here; https://docs.influxdata.com/influxdb/v1/guides/hardware_sizing/)',
  readStreamsPerProcess: 'SSE streams held by one read process in bench:live (5.8–17.6 KB of RSS each; 0 failed)',
  readEventsPerS: '50–66 µs of read-service CPU per delivered event in bench:live (27–33 % of a core for 5,000 events/s) → 15,000 events/s per core',
  readProcessesPerNode: 'one event loop per core',
};
