// Puts authentication and the topic ACL into Aedes (docs/decisions/006-auth.md §5), or, with
// EM_BROKER_AUTH=disabled, leaves the broker open and says so loudly.
import type { AedesOptions, Client } from 'aedes';
import type { AgentDirectory, MembershipDirectory } from '../lib/auth/directory.js';
import type { AccessTokenVerifier } from '../lib/auth/principal.js';
import type { Logger } from '../lib/log.js';
import type { AuthorizePublishHandler } from './aedes-types.js';
import { createAddressLookupGate } from './address-lookup-gate.js';
import { MAX_QUEUED_CONNECTS_PER_ADDRESS, type BrokerAuthConfig } from './auth-config.js';
import { createAuthFailureThrottle } from './auth-failure-throttle.js';
import { createAuthenticate } from './authenticate.js';
import { createAuthorizeSubscribe } from './authorize-subscribe.js';
import { createPrincipalRegistry, type PrincipalRegistry } from './connected-principal.js';
import { startCredentialWatch, type CredentialWatch } from './credential-watch.js';
import { startMemberHouseholds, type MemberHouseholds } from './member-households.js';
import type { BrokerMetrics } from './metrics.js';
import { createConnectFacts } from './pre-connect.js';
import { withPublishAcl } from './publish-acl.js';
import { withAuthFailureThrottle } from './with-auth-failure-throttle.js';

export interface BrokerAuthDeps {
  /** Agent credentials; a cached directory's forgetAgent is called when an agent's credentials change. */
  readonly agentDirectory?: AgentDirectory & { forgetAgent?(agentId: string): void };
  readonly memberships?: MembershipDirectory;
  /** Access-token verifier for users and services; without it only agents can connect. */
  readonly verifier?: AccessTokenVerifier;
}

export interface AuthHooks {
  readonly aedesOptions: Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizeSubscribe'>;
  wrapPublish(authorize: AuthorizePublishHandler): AuthorizePublishHandler;
  /** For authorizeForward: whether `client` may still receive `topic` (a member's households; member-households.ts). */
  mayForward(client: Client, topic: string): boolean;
  /** Undefined when auth is disabled. */
  readonly principals?: PrincipalRegistry;
  readonly credentialWatch?: CredentialWatch;
  readonly memberHouseholds?: MemberHouseholds;
  stop(): void;
}

export function createAuthHooks(config: BrokerAuthConfig, deps: BrokerAuthDeps, metrics: BrokerMetrics, log: Logger): AuthHooks {
  if (config.mode === 'disabled') {
    log.warn('EM_BROKER_AUTH=disabled: ANYONE CAN CONNECT, PUBLISH AND SUBSCRIBE TO ANY TOPIC. For local experiments and tests only.');
    return { aedesOptions: {}, wrapPublish: (authorize) => authorize, mayForward: () => true, stop: () => undefined };
  }
  const { agentDirectory, memberships, verifier } = deps;
  if (agentDirectory === undefined || memberships === undefined) {
    throw new Error('EM_BROKER_AUTH=required needs BrokerDeps.agentDirectory and memberships (broker/main.ts builds them from EM_BROKER_AUTH_*)');
  }
  if (verifier === undefined) log.warn('no token issuer configured (EM_BROKER_AUTH_ISSUER): only agents can connect');
  const principals = createPrincipalRegistry();
  const connectFacts = createConnectFacts();
  const credentialWatch = startCredentialWatch({ agents: agentDirectory, principals, metrics, log, pollMs: config.credentialPollMs });
  const memberHouseholds = startMemberHouseholds({ memberships, metrics, log, pollMs: config.credentialPollMs });
  const checkCredentials = createAuthenticate({
    agents: agentDirectory,
    verifier,
    principals,
    connectFacts,
    metrics,
    log,
    onTokenConnection: (client, expiresAtS) => credentialWatch.closeAtExpiry(client, expiresAtS),
    memberHouseholds,
  });
  const settings = config.failureThrottle;
  const authenticate =
    settings.maxFailuresPerAddress === 0
      ? checkCredentials
      : withAuthFailureThrottle(
          {
            throttle: createAuthFailureThrottle(settings),
            gate: createAddressLookupGate({ maxConcurrentPerKey: settings.maxLookupsPerAddress, maxQueuedPerKey: MAX_QUEUED_CONNECTS_PER_ADDRESS }),
            settings,
            nowMs: () => performance.now(),
            metrics,
            log,
          },
          checkCredentials,
        );
  return {
    aedesOptions: {
      preConnect: connectFacts.preConnect,
      authenticate,
      authorizeSubscribe: createAuthorizeSubscribe({ principals, memberships, metrics, log, memberHouseholds }),
    },
    wrapPublish: (authorize) => withPublishAcl(principals, metrics, log, authorize),
    mayForward: (client, topic) => memberHouseholds.mayReceive(client, topic),
    principals,
    credentialWatch,
    memberHouseholds,
    stop: () => {
      credentialWatch.stop();
      memberHouseholds.stop();
    },
  };
}
