// Node/V8 flags the broker process is meant to run with (NODE_OPTIONS when starting broker/main.ts).
//
// --max-semi-space-size=1 (MB, default 16 on 64-bit): V8's young generation grows to 3 × this during
// a burst of allocation, such as thousands of agents reconnecting at once, and the pages it grew
// stay in the process's RSS afterwards. A 1 MB semi-space makes V8 scavenge more often and promote
// less garbage, so a storm of 19,000 idle connections leaves ~9.6 KB of RSS per connection instead
// of ~12.7 KB (docs/benchmarks.md, connection storm). Publishes are small and short-lived; the
// QoS1 rate is bound by the journal's fsync, and a broker-only run showed no loss we could tell from
// the noise of a shared machine.
export const BROKER_NODE_OPTIONS = '--max-semi-space-size=1';
