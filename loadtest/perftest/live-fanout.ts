// perftest --mode live-fanout: homeowners watching live power. The broker and the read service run
// as deployed (loadtest/live/live-stack.ts), a viewer process holds --viewers SSE streams on
// --watched households, and the agents publish at --rate: every container goes to the broker, and
// the read service pushes those of watched households to their viewers. "stored" is SSE events
// delivered; publish→SSE latency (the first reading carries its publish time) is in the notes,
// since the table's latency column is publish→PUBACK as in every other mode.
import { randomBytes } from 'node:crypto';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { metricValue, scrape } from '../lib/prometheus-text.js';
import { summarize } from '../lib/percentiles.js';
import { startLiveStack } from '../live/live-stack.js';
import { interleavedHouseholds } from '../live/publish-order.js';
import { startTimestampedPublisher } from '../live/timestamped-publisher.js';
import { startViewerProcess } from '../live/viewer-process.js';
import type { PerftestOptions } from './options.js';
import { rssBytes } from './proc-stats.js';
import { runPhase, type RunContext } from './run-phase.js';
import type { RunResult } from './run-result.js';

export async function runLiveFanout(o: PerftestOptions, ctx: RunContext): Promise<RunResult[]> {
  const dir = makeTempDir('perftest-live');
  const householdId = (i: number): string => `pl${String(i).padStart(6, '0')}`;
  const existing =
    o.postgresUrl !== undefined && o.influxUrl !== undefined
      ? { postgresUrl: o.postgresUrl, influxUrl: o.influxUrl, influxDatabase: `perftest_live_${process.pid}_${randomBytes(3).toString('hex')}` }
      : undefined;
  const stack = await startLiveStack({ dir, watched: o.watched, householdId, existing }).catch((err: unknown) => {
    dir.remove();
    throw err;
  });
  const viewers = startViewerProcess();
  try {
    const tokens = await Promise.all(Array.from({ length: o.watched }, (_, i) => stack.viewerToken(i + 1)));
    const viewerList = Array.from({ length: o.viewers }, (_, v) => ({ householdId: householdId((v % o.watched) + 1), token: tokens[v % o.watched] as string }));
    const readPid = stack.read.child.pid ?? 0;
    const rssBefore = await rssBytes(readPid);
    const opened = await viewers.open(stack.readUrl, viewerList, 100);
    const rssPerStreamKb = ((await rssBytes(readPid)) - rssBefore) / 1024 / Math.max(1, opened.ok);
    ctx.print(`${opened.ok} SSE streams open (${opened.failed} failed) on ${o.watched} households in ${(opened.ms / 1000).toFixed(1)} s`);
    const publisher = await startTimestampedPublisher({
      brokerUrl: stack.brokerUrl,
      connections: o.connections,
      householdIds: interleavedHouseholds(o.agents, o.watched).map(householdId),
      ratePerSecond: o.rate,
      readingsPerMessage: o.readings,
    });
    try {
      const dropsBefore = metricValue(await scrape(stack.readMetricsUrl), 'em_read_sse_events_dropped_total');
      await viewers.reset(); // forget what arrived while the streams opened
      const result = await runPhase(
        {
          target: 'live fan-out',
          unit: 'msgs',
          storedMeaning: 'SSE events delivered to viewers',
          readStoredTotal: () => viewers.delivered(),
          cpuPids: { broker: stack.broker.child.pid, read: stack.read.child.pid, viewers: viewers.child.pid, generator: process.pid },
          warmupMs: o.warmupMs,
          load: async (events) => {
            // Counted here, so PUBACKs that arrive during the last second count too.
            const ackLatenciesMs: number[] = [];
            const run = await publisher.run(o.durationMs, {
              signal: events.signal,
              onSent: (atMs) => events.onSent(atMs),
              onAck: (atMs, latencyMs) => {
                ackLatenciesMs.push(latencyMs);
                events.onAck(atMs, latencyMs);
              },
            });
            await new Promise((resolve) => setTimeout(resolve, 1000)); // the last events on their way
            return { sent: run.sent, acked: ackLatenciesMs.length, behind: 0, failed: 0, elapsedMs: run.elapsedMs, latenciesMs: ackLatenciesMs };
          },
        },
        ctx,
      );
      const report = await viewers.report();
      // Steady state: events published after the warm-up (sentAtMs is epoch ms).
      const steadyFrom = performance.timeOrigin + performance.now() - result.elapsedMs - 1000 + o.warmupMs;
      const steady = summarize(report.latenciesMs.filter((_, i) => (report.sentAtMs[i] ?? 0) >= steadyFrom));
      const all = summarize(report.latenciesMs);
      const dropped = metricValue(await scrape(stack.readMetricsUrl), 'em_read_sse_events_dropped_total') - dropsBefore;
      const ms = (v: number): string => v.toFixed(1);
      return [
        {
          ...result,
          notes: [
            ...result.notes,
            `publish→SSE after ${o.warmupMs / 1000} s warm-up: p50 ${ms(steady.p50)} ms, p99 ${ms(steady.p99)} ms, max ${ms(steady.max)} ms (whole run p99 ${ms(all.p99)} ms, ${all.count} events)`,
            `${opened.ok} viewers on ${o.watched} of ${o.agents} publishing households (${opened.failed} failed to open); read service RSS ${(rssPerStreamKb).toFixed(1)} KB per stream`,
            `dropped for slow viewers ${dropped}, resyncs ${report.resyncs}; latency column = publish→PUBACK; broker auth disabled, journal without a writer`,
          ],
        },
      ];
    } finally {
      await publisher.close();
    }
  } finally {
    viewers.stop();
    await stack.stop();
    dir.remove();
  }
}
