// Agent credentials (decision 006 §3): a 256-bit secret shown once, stored as SHA-256.
import type { AuthContext } from '../auth-context.js';
import { audit } from '../data/audit-log.js';
import { agentPage, insertAgent, revokeAgent, rotateAgentSecret, type AgentListState, type AgentPage } from '../data/agents-repository.js';
import type { AgentListPosition } from '../domain/agent-list-cursor.js';
import { provisioningCommand } from '../domain/provisioning-command.js';
import { newSecret, newTopicId, sha256 } from '../domain/secrets.js';
import { authError } from '../errors.js';
import type { AuthenticatedUser } from '../http/authenticate.js';
import { requireHouseholdRole } from './household-access.js';
import { requireWithinQuota } from './quotas.js';

export interface AgentCredentials {
  readonly agentId: string;
  readonly householdId: string;
  readonly username: string;
  readonly password: string;
  readonly mqttUrl: string;
  readonly provisioningCommand: string;
}

export function agentCredentials(ctx: Pick<AuthContext, 'config'>, agentId: string, householdId: string, secret: string): AgentCredentials {
  const base = { agentId, householdId, username: agentId, password: secret, mqttUrl: ctx.config.mqttUrl };
  return { ...base, provisioningCommand: provisioningCommand({ ...base, brokerUrl: base.mqttUrl, agentDir: ctx.config.agentDir }) };
}

export async function registerAgent(ctx: AuthContext, caller: AuthenticatedUser, householdId: string, name: string, remoteAddress: string): Promise<AgentCredentials & { name: string }> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  const secret = newSecret();
  const agent = await ctx.db.transaction(async (tx) => {
    await requireWithinQuota(ctx, tx, 'agents-per-household', householdId);
    await requireWithinQuota(ctx, tx, 'agent-registrations-per-household-per-day', householdId);
    const created = await insertAgent(tx, { agentId: newTopicId('a'), householdId, name, secretHash: sha256(secret) });
    await audit(tx, { event: 'agent-registered', userId: caller.user.id, householdId, agentId: created.agentId, remoteAddress });
    return created;
  });
  return { ...agentCredentials(ctx, agent.agentId, householdId, secret), name: agent.name };
}

export interface AgentListQuery {
  readonly state: AgentListState;
  readonly limit: number;
  readonly after: AgentListPosition | undefined;
}

export async function listAgents(ctx: AuthContext, caller: AuthenticatedUser, householdId: string, query: AgentListQuery): Promise<AgentPage> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'member');
  return agentPage(ctx.db, householdId, query.state, query.after, query.limit);
}

export async function rotateAgent(ctx: AuthContext, caller: AuthenticatedUser, householdId: string, agentId: string, remoteAddress: string): Promise<AgentCredentials> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  const secret = newSecret();
  const rotated = await rotateAgentSecret(ctx.db, householdId, agentId, sha256(secret));
  if (rotated === undefined) throw authError('not-found', `no active agent ${agentId} in this household`);
  await audit(ctx.db, { event: 'agent-rotated', userId: caller.user.id, householdId, agentId, remoteAddress });
  return agentCredentials(ctx, agentId, householdId, secret);
}

export async function revokeAgentOf(ctx: AuthContext, caller: AuthenticatedUser, householdId: string, agentId: string, remoteAddress: string): Promise<void> {
  await requireHouseholdRole(ctx.db, caller, householdId, 'owner');
  const outcome = await revokeAgent(ctx.db, householdId, agentId);
  if (outcome === undefined) throw authError('not-found', `no agent ${agentId} in this household`);
  if (outcome === 'revoked') await audit(ctx.db, { event: 'agent-revoked', userId: caller.user.id, householdId, agentId, remoteAddress });
}
