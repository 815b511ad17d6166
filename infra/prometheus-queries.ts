// The PromQL an operator page charts (docs/monitoring.md, "Operator page"). One list, so the
// page and the integration test that runs every query against a real Prometheus agree.
// Range charts: GET /api/v1/query_range?query=<expr>&start=<unix s>&end=<unix s>&step=15s.

export type OperatorQuery = { readonly id: string; readonly title: string; readonly unit: string; readonly expr: string };

export const OPERATOR_QUERIES: readonly OperatorQuery[] = [
  {
    id: 'ingest-rate',
    title: 'Ingest: containers journaled per second',
    unit: 'containers/s',
    expr: 'sum(rate(em_broker_publishes_in_total{kind="readings",outcome="journaled"}[1m]))',
  },
  { id: 'points-stored', title: 'Points stored in InfluxDB per second', unit: 'points/s', expr: 'sum(rate(em_write_points_written_total[1m]))' },
  { id: 'journal-depth', title: 'Journal depth (acknowledged, not yet stored)', unit: 'containers', expr: 'max(em_journal_depth_entries)' },
  { id: 'journal-bytes', title: 'Journal size on disk', unit: 'bytes', expr: 'max(em_journal_depth_bytes)' },
  {
    id: 'write-latency-p99',
    title: 'InfluxDB write latency, p99',
    unit: 's',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(em_write_request_seconds_bucket{outcome="ok"}[5m])))',
  },
  {
    id: 'stored-lag-p99',
    title: 'Reading sealed → stored, p99',
    unit: 's',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(em_write_lag_seconds_bucket[5m])))',
  },
  {
    id: 'puback-p99',
    title: 'Publish → durable journal (PUBACK), p99',
    unit: 's',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(em_broker_journal_append_seconds_bucket[5m])))',
  },
  { id: 'connected-agents', title: 'Connected MQTT clients', unit: 'connections', expr: 'sum(em_broker_connections)' },
  {
    id: 'influx-errors',
    title: 'InfluxDB write errors per second, by kind',
    unit: 'errors/s',
    expr: 'sum by (kind) (rate(em_write_influx_errors_total[5m]))',
  },
  {
    id: 'dead-letters',
    title: 'Dead letters per second, by process and reason',
    unit: 'readings/s',
    expr: 'sum by (job, reason) (rate(em_broker_dead_letters_total[5m])) or sum by (job, reason) (rate(em_write_dead_letters_total[5m]))',
  },
  {
    id: 'auth-failures',
    title: 'Refused logins per second (HTTP and MQTT)',
    unit: 'failures/s',
    // By job: `or` keeps right-hand series only where no left-hand one has the same labels, so two
    // label-less sums would hide the broker's refusals whenever the auth service has any.
    expr: 'sum by (job) (rate(em_auth_logins_total{outcome!="success"}[5m])) or sum by (job) (rate(em_broker_auth_attempts_total{outcome!="accepted"}[5m]))',
  },
  {
    id: 'web-upstream-errors',
    title: 'Web server: calls that could not reach a backend, per second',
    unit: 'errors/s',
    expr: 'sum by (upstream) (rate(em_web_upstream_errors_total[5m]))',
  },
  { id: 'processes-up', title: 'Processes up (1) or down (0)', unit: '', expr: 'up' },
];
