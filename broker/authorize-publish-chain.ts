// The authorizePublish chain a publish goes through, from Aedes or the readings fast path: the topic
// ACL, the agent's publish pace, the journal's backpressure, then validation and the durable append.
import type { Registry } from 'prom-client';
import type { DeadLetterStore } from '../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { clipForLog, type Logger } from '../lib/log.js';
import type { AuthorizePublishHandler } from './aedes-types.js';
import { createAgentDeviceBound } from './agent-device-bound.js';
import { createAgentPublishPace, type PaceClock } from './agent-publish-pace.js';
import type { AuthHooks } from './auth-hooks.js';
import { createAuthorizePublish } from './authorize-publish.js';
import type { BrokerConfig } from './config.js';
import type { ForwardEarly } from './forward-early.js';
import type { HeldBackPayloads } from './held-back-payloads.js';
import type { JournalBackpressure } from './journal-backpressure.js';
import { registerAgentLimitMetrics, type BrokerMetrics } from './metrics.js';
import { withBackpressure } from './with-backpressure.js';
import { withPublishPace } from './with-publish-pace.js';

export interface AuthorizePublishChainDeps {
  readonly auth: AuthHooks;
  readonly backpressure: JournalBackpressure;
  readonly journal: ContainerJournal;
  readonly deadLetters: DeadLetterStore;
  readonly heldBack: HeldBackPayloads;
  readonly forwardEarly: ForwardEarly | undefined;
  readonly metrics: BrokerMetrics;
  readonly registry: Registry;
  readonly clock: () => number;
  readonly log: Logger;
}

/**
 * The pace's clock: monotonic (a wall-clock step must not hold every agent's publishes), and timers
 * that do not keep a stopping process alive (a publish still waiting then fails with its closed client).
 */
const PACE_CLOCK: PaceClock = {
  now: () => performance.now(),
  setTimer: (run, delayMs) => void setTimeout(run, delayMs).unref(),
};

export function createAuthorizePublishChain(config: Readonly<BrokerConfig>, deps: AuthorizePublishChainDeps): AuthorizePublishHandler {
  const { auth, metrics, log } = deps;
  const pace = createAgentPublishPace(config.publishPace, PACE_CLOCK, (agent, delayMs) =>
    log.warn(
      { topic: clipForLog(agent), delayMs: Math.round(delayMs), ...config.publishPace },
      'agent publishing faster than its pace: its readings publishes (and PUBACKs) are held (EM_BROKER_AGENT_PUBLISHES_PER_S, EM_BROKER_AGENT_READINGS_PER_S); told again in 10 minutes if it goes on',
    ),
  );
  const deviceBound = createAgentDeviceBound(config.deviceBound);
  // The ACL runs first: a refused publish neither waits for the journal nor touches it. Then the
  // agent's pace: a paced publish waits before it costs any CPU or disk.
  const journaled = withBackpressure(
    deps.backpressure,
    metrics,
    createAuthorizePublish({
      journal: deps.journal,
      deadLetters: deps.deadLetters,
      heldBack: deps.heldBack,
      forwardEarly: deps.forwardEarly,
      metrics,
      limits: config.limits,
      deviceBound: config.deviceBound.maxDevicesPerAgent === 0 ? undefined : deviceBound,
      clock: deps.clock,
      log,
    }),
  );
  const authorizePublish = auth.wrapPublish(config.publishPace.publishesPerS === 0 && config.publishPace.readingsPerS === 0 ? journaled : withPublishPace(pace, metrics, journaled, config.limits.maxMeasurementsPerContainer));
  registerAgentLimitMetrics(deps.registry, { pace: () => pace.trackedAgents(), devices: () => deviceBound.trackedAgents() });
  return authorizePublish;
}
