// Builds the broker (Aedes + journal + dead letters + listeners + metrics) without starting it.
import type { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import { openDeadLetterStore, type DeadLetterStore } from '../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { createLogger, type Logger } from '../lib/log.js';
import { registerFilesystemMetrics } from '../lib/metrics/filesystem-metrics.js';
import { createProcessRegistry } from '../lib/metrics/metrics-server.js';
import { attachReadingsFastPath } from './attach-readings-fast-path.js';
import { createAuthHooks, type AuthHooks, type BrokerAuthDeps } from './auth-hooks.js';
import { createAuthorizeForward } from './authorize-forward.js';
import { createAuthorizePublishChain } from './authorize-publish-chain.js';
import { attachDeliveryPolicies, createBrokerAedes } from './broker-aedes.js';
import { createBrokerBackpressure } from './broker-backpressure.js';
import { openBrokerJournal } from './broker-journal.js';
import { createBrokerLifecycle, type BrokerAddresses } from './broker-lifecycle.js';
import { createBrokerReadiness } from './broker-readiness.js';
import { countClientErrors } from './client-errors.js';
import type { BrokerConfig } from './config.js';
import { createForwardEarly } from './forward-early.js';
import { createHeldBackPayloads } from './held-back-payloads.js';
import { createLiveForward, DEFAULT_MAX_QUEUED_FORWARDS } from './live-forward.js';
import { createBrokerMetrics, type BrokerMetrics } from './metrics.js';

export interface BrokerDeps extends BrokerAuthDeps {
  readonly clock?: () => number;
  readonly log?: Logger;
  readonly registry?: Registry;
  /** Told once when the journal's disk did not confirm a flush in time: the broker must stop (main.ts). */
  readonly onJournalUnconfirmed?: (error: Error) => void;
}

export type { BrokerAddresses } from './broker-lifecycle.js';

export interface BrokerApp {
  readonly aedes: Aedes;
  readonly journal: ContainerJournal;
  readonly deadLetters: DeadLetterStore;
  readonly metrics: BrokerMetrics;
  readonly registry: Registry;
  /** Authentication state (who is connected); principals/credentialWatch are absent when auth is disabled. */
  readonly auth: AuthHooks;
  start(): Promise<BrokerAddresses>;
  stop(): Promise<void>;
}

export async function createBroker(config: Readonly<BrokerConfig>, deps: BrokerDeps = {}): Promise<BrokerApp> {
  const log = deps.log ?? createLogger('broker');
  const registry = deps.registry ?? createProcessRegistry({ process: 'broker' });
  const { journal, flushWatch } = await openBrokerJournal(config, { registry, log, onUnconfirmed: deps.onJournalUnconfirmed });
  const flushTimeoutMs = config.journalFlushTimeoutMs;
  const deadLetters = openDeadLetterStore(config.deadLetterPath, { ...config.deadLetterBudget, metrics: { registry, service: 'broker' }, flushTimeoutMs });
  const metrics = createBrokerMetrics(registry, journal);
  const readiness = createBrokerReadiness(config, journal, flushWatch, registry);
  registerFilesystemMetrics(registry, [config.journalPath, config.deadLetterPath]);
  const heldBack = createHeldBackPayloads();
  // The forward hook goes into Aedes' options, so it reaches the instance through this holder.
  const aedesRef: { current?: Aedes } = {};
  const live = createLiveForward(() => aedesRef.current, {
    maxQueued: DEFAULT_MAX_QUEUED_FORWARDS,
    onDropped: () => metrics.liveForwardsDropped.inc(),
  });
  const forwardEarly = config.forwardBeforeJournal ? createForwardEarly(live, heldBack) : undefined;
  const backpressure = createBrokerBackpressure(config, journal, metrics, log);
  const auth = createAuthHooks(config.auth, deps, metrics, log);
  const authorizeForward = createAuthorizeForward(heldBack, auth);
  const authorizePublish = createAuthorizePublishChain(config, {
    auth,
    backpressure,
    journal,
    deadLetters,
    heldBack,
    forwardEarly,
    metrics,
    registry,
    clock: deps.clock ?? Date.now,
    log,
  });
  const aedes = await createBrokerAedes(config, { auth, authorizePublish, authorizeForward });
  aedesRef.current = aedes;
  attachDeliveryPolicies(aedes, config, metrics, log);
  const fastPath = attachReadingsFastPath(aedes, config, { authorizePublish, heldBack, live, forwardEarly, registry });
  countClientErrors(aedes, metrics, log);

  const lifecycle = createBrokerLifecycle(config, { aedes, journal, deadLetters, backpressure, auth, readiness, fastPath, metrics, registry, log });
  return { aedes, journal, deadLetters, metrics, registry, auth, ...lifecycle };
}
