// Aedes' authenticate hook: who is connecting (docs/decisions/006-auth.md §5).
//   username = agent id, password = secret           → AgentDirectory
//   username = `token`, password = OAuth2 access token → AccessTokenVerifier (user or service)
// Refusals use the CONNACK return codes of MQTT 3.1.1 §3.2.2.3, and the connection is closed
// after the CONNACK [MQTT-3.2.2-5]: 0x02 client id not bound to this principal, 0x03 directory or
// key set unreachable (try again), 0x04 bad user name or password, 0x05 not authorized.
import type { AuthenticateError, Client } from 'aedes';
import type { AgentDirectory } from '../lib/auth/directory.js';
import { MQTT_TOKEN_USERNAME, TokenRejectedError, type AccessTokenVerifier } from '../lib/auth/principal.js';
import { clipForLog, type Logger } from '../lib/log.js';
import { isValidId } from '../proto/topics.js';
import type { AuthenticateHandler } from './aedes-types.js';
import type { ConnectedPrincipal, PrincipalRegistry } from './connected-principal.js';
import type { MemberHouseholds } from './member-households.js';
import type { BrokerMetrics } from './metrics.js';
import type { ConnectFactsRegistry } from './pre-connect.js';
import { needsMemberships, publishVerdict } from './topic-acl.js';

export const TOKEN_USERNAME = MQTT_TOKEN_USERNAME;

type ReturnCode = 2 | 3 | 4 | 5;

export class ConnectRefused extends Error {
  override readonly name = 'ConnectRefused';
  constructor(readonly returnCode: ReturnCode, readonly reason: string) {
    super(`connect refused: ${reason}`);
  }
}

export interface AuthenticateDeps {
  readonly agents: AgentDirectory;
  /** Absent when no issuer is configured: only agents can connect. */
  readonly verifier?: AccessTokenVerifier;
  readonly principals: PrincipalRegistry;
  readonly connectFacts: ConnectFactsRegistry;
  readonly metrics: Pick<BrokerMetrics, 'authAttempts'>;
  readonly log: Logger;
  /** Called for each user/service connection accepted (closes it when its token expires). */
  readonly onTokenConnection?: (client: Client, expiresAtS: number) => void;
  /** What a member connection may read, read before it is accepted (a resumed session's queue follows at once). */
  readonly memberHouseholds?: Pick<MemberHouseholds, 'track'>;
}

async function identifyAgent(agents: AgentDirectory, agentId: string, secret: string): Promise<ConnectedPrincipal> {
  if (!isValidId(agentId)) throw new ConnectRefused(4, 'malformed-username');
  const identity = await agents.verifyAgent(agentId, secret).catch((err: unknown) => {
    throw new ConnectRefused(3, `directory-unavailable: ${String(err)}`);
  });
  if (identity === undefined) throw new ConnectRefused(4, 'bad-agent-credentials');
  return { kind: 'agent', ...identity };
}

async function identifyTokenHolder(verifier: AccessTokenVerifier | undefined, token: string): Promise<ConnectedPrincipal> {
  if (verifier === undefined) throw new ConnectRefused(4, 'no-token-issuer-configured');
  try {
    const principal = await verifier.verify(token);
    return { kind: principal.kind, principal };
  } catch (err) {
    const reason = err instanceof TokenRejectedError ? err.reason : 'verifier-error';
    throw new ConnectRefused(reason === 'jwks-unavailable' || reason === 'verifier-error' ? 3 : 4, `token-${reason}`);
  }
}

/**
 * A client id names a session, and a new connection with the same id takes the session over
 * [MQTT-3.1.4-2]. So ids are bound to principals: an agent's id is its agent id; a token holder's is
 * server-assigned or `{sub}:{anything}` (`:` never occurs in agent ids). Otherwise one household
 * could disconnect another's agent or read a user's queued messages. A server-assigned id always
 * comes with a clean session: a zero-length id with CleanSession 0 got CONNACK 0x02 before Aedes
 * saw the CONNECT (packet-conformance.ts, [MQTT-3.1.3-8]).
 */
function checkClientId(who: ConnectedPrincipal, clientId: string, serverAssigned: boolean): void {
  if (who.kind === 'agent' ? clientId === who.agentId : serverAssigned || clientId.startsWith(`${who.principal.subject}:`)) return;
  throw new ConnectRefused(2, 'client-id-not-bound-to-principal');
}

/** A will is published on the client's behalf later: it must pass the publish ACL now. */
function checkWill(who: ConnectedPrincipal, willTopic: string | undefined): void {
  if (willTopic === undefined) return;
  const verdict = publishVerdict(who, willTopic);
  if (!verdict.ok) throw new ConnectRefused(5, `will-${verdict.reason}`);
}

/**
 * Whether a refusal means the credentials themselves were bad (0x04, or none given: 0x05), which is
 * what the per-address failure throttle counts (auth-failure-throttle.ts). Not 0x03 (the directory
 * or key set was unreachable: our fault), nor 0x02 or a refused will (the credentials were good).
 */
export function refusedCredentials(refusal: ConnectRefused): boolean {
  return refusal.returnCode === 4 || refusal.reason === 'no-credentials';
}

/** The `kind` label of em_broker_auth_attempts_total for a CONNECT not (yet) accepted. */
export function kindOfAttempt(username: string | undefined): string {
  if (username === undefined) return 'none';
  return username === TOKEN_USERNAME ? 'token' : 'agent';
}

export function createAuthenticate(deps: AuthenticateDeps): AuthenticateHandler {
  const identify = async (client: Client, username: string | undefined, password: Buffer | undefined): Promise<ConnectedPrincipal> => {
    if (username === undefined || password === undefined) throw new ConnectRefused(5, 'no-credentials');
    const secret = password.toString('utf8');
    const who = username === TOKEN_USERNAME ? await identifyTokenHolder(deps.verifier, secret) : await identifyAgent(deps.agents, username, secret);
    const facts = deps.connectFacts.get(client);
    checkClientId(who, client.id, facts.serverAssignedId);
    checkWill(who, facts.willTopic);
    if (needsMemberships(who) && deps.memberHouseholds !== undefined) {
      await deps.memberHouseholds.track(client, who.principal.subject).catch((err: unknown) => {
        throw new ConnectRefused(3, `directory-unavailable: ${String(err)}`);
      });
    }
    return who;
  };

  return (client, username, password, done) => {
    identify(client, username, password).then(
      (who) => {
        deps.principals.set(client, who);
        deps.metrics.authAttempts.inc({ kind: who.kind, outcome: 'accepted' });
        if (who.kind !== 'agent') deps.onTokenConnection?.(client, who.principal.expiresAtS);
        done(null, true);
      },
      (err: unknown) => {
        const refusal = err instanceof ConnectRefused ? err : new ConnectRefused(3, `internal: ${String(err)}`);
        const outcome = refusal.reason.split(':')[0] ?? 'refused';
        deps.metrics.authAttempts.inc({ kind: kindOfAttempt(username), outcome });
        const agentName = kindOfAttempt(username) === 'agent' ? username : undefined;
        deps.log.info({ clientId: clipForLog(client.id), username: agentName === undefined ? undefined : clipForLog(agentName), reason: refusal.reason }, 'connect refused');
        const error: AuthenticateError = Object.assign(new Error(refusal.message, { cause: refusal }), { returnCode: refusal.returnCode });
        done(error, false);
      },
    );
  };
}
