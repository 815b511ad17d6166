// The evaluation loop around the pure engine: loads enabled rules (at start, every refresh
// interval, and at once after this process's API changed one), restores open alerts, warm-starts
// households from InfluxDB, subscribes on the broker only to households with enabled rules, feeds
// containers in, ticks time-based conditions, and hands transitions to the sink.
import type { LiveFeed } from '../../lib/mqtt/mqtt-feed.js';
import type { Logger } from '../../lib/log.js';
import { ContainerDecodeError, decodeContainer } from '../../proto/container.js';
import { parseAgentTopic, TOPIC_PREFIX } from '../../proto/topics.js';
import type { AlertsRepository } from './data/alerts-repository.js';
import type { EnabledRules, RulesRepository } from './data/rules-repository.js';
import type { AlertEngine } from './domain/alert-engine.js';
import type { WarmStart } from './influx/warm-start.js';
import type { AlertsMetrics } from './metrics.js';
import type { TransitionSink } from './transition-sink.js';

export interface EvaluatorOptions {
  readonly engine: AlertEngine;
  readonly rules: RulesRepository;
  readonly alerts: AlertsRepository;
  readonly warmStart: WarmStart;
  readonly sink: TransitionSink;
  readonly metrics: AlertsMetrics;
  readonly log: Logger;
  readonly now: () => number;
  readonly tickMs: number;
  readonly rulesRefreshMs: number;
}

export interface Evaluator {
  /** Loads rules and open alerts, warm-starts, subscribes, starts ticking. */
  start(feed: LiveFeed): Promise<void>;
  /** Reloads rules now (after an API change); resolves when the engine has them. */
  refresh(): Promise<void>;
  stop(): void;
}

const readingsFilter = (householdId: string): string => `${TOPIC_PREFIX}/${householdId}/+/readings`;

export function createEvaluator(o: EvaluatorOptions): Evaluator {
  let feed: LiveFeed | undefined;
  const subscribed = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  let chain: Promise<void> = Promise.resolve();
  let lastEvaluations = 0;

  const countEvaluations = (): void => {
    const total = o.engine.evaluations();
    o.metrics.evaluated(total - lastEvaluations);
    lastEvaluations = total;
  };

  const seed = async (householdId: string, timeZone: string): Promise<void> => {
    try {
      o.engine.seed(householdId, await o.warmStart.seed(householdId, timeZone, o.now()));
    } catch (err) {
      // Without history the engine still works: silence counts from the service start.
      o.log.warn({ err, householdId }, 'warm start from InfluxDB failed; evaluating from live data only');
    }
  };

  const apply = async (enabled: readonly EnabledRules[]): Promise<void> => {
    const wanted = new Map(enabled.map((e) => [e.householdId, e]));
    for (const householdId of o.engine.households()) {
      if (wanted.has(householdId)) continue;
      o.sink.push(o.engine.removeHousehold(householdId, o.now()));
      if (subscribed.delete(householdId)) await feed?.unsubscribe(readingsFilter(householdId)).catch((err: unknown) => o.log.warn({ err, householdId }, 'unsubscribe failed'));
    }
    for (const e of enabled) {
      // New to the engine, or its time zone changed (its local day is another): read history.
      const needsSeed = o.engine.timeZoneOf(e.householdId) !== e.timeZone;
      o.sink.push(o.engine.setHousehold(e.householdId, e.timeZone, e.rules, o.now()));
      if (needsSeed) await seed(e.householdId, e.timeZone);
      if (!subscribed.has(e.householdId) && feed !== undefined) {
        await feed.subscribe(readingsFilter(e.householdId));
        subscribed.add(e.householdId);
      }
    }
    o.metrics.subscriptions(subscribed.size);
  };

  const refresh = (): Promise<void> => {
    const next = chain.then(async () => apply(await o.rules.enabled()));
    chain = next.catch((err: unknown) => o.log.warn({ err }, 'alert rules could not be reloaded'));
    return next;
  };

  const onMessage = (topic: string, payload: Buffer): void => {
    const parsed = parseAgentTopic(topic);
    if (parsed?.kind !== 'readings') return;
    try {
      const container = decodeContainer(payload);
      if (container.householdId !== parsed.householdId) return;
      o.sink.push(o.engine.observe(container, o.now()));
    } catch (err) {
      if (!(err instanceof ContainerDecodeError)) throw err;
      o.metrics.undecodable();
    }
  };

  return {
    async start(liveFeed) {
      feed = liveFeed;
      feed.onMessage(onMessage);
      feed.onReconnect(() => {
        o.engine.feedResumed(o.now());
        // Subscriptions are not persistent (clean session): subscribe again, and re-seed last-seen
        // times so a feed outage is not taken for silent devices.
        const households = [...subscribed];
        subscribed.clear();
        void refresh().then(async () => {
          for (const e of await o.rules.enabled()) if (households.includes(e.householdId)) await seed(e.householdId, e.timeZone);
        }, () => undefined);
      });
      const [enabled, open] = await Promise.all([o.rules.enabled(), o.alerts.open()]);
      const enabledIds = new Set(enabled.flatMap((e) => e.rules.map((r) => r.id)));
      // Before any reading arrives: what was firing stays firing, without a second notification.
      o.engine.restoreOpen(open.filter((a) => enabledIds.has(a.ruleId)));
      await apply(enabled);
      // Open alerts of rules no longer enabled (changed while no replica ran) resolve now.
      o.sink.push(open.filter((a) => !enabledIds.has(a.ruleId)).map((a) => ({ type: 'resolved', householdId: a.householdId, ruleId: a.ruleId, subject: a.subject, value: a.value, startedAtMs: a.startedAtMs, resolvedAtMs: o.now() })));
      const tick = setInterval(() => {
        // While the feed is down nothing arrives: that says nothing about the devices.
        if (feed?.isConnected?.() === false) return;
        o.sink.push(o.engine.tick(o.now()));
        countEvaluations();
      }, o.tickMs);
      const reload = setInterval(() => void refresh().catch(() => undefined), o.rulesRefreshMs);
      timers.push(tick, reload);
      for (const t of timers) t.unref();
    },
    refresh,
    stop() {
      for (const t of timers.splice(0)) clearInterval(t);
    },
  };
}
