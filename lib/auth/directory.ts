// Read-only questions the broker and the read service ask about credentials and memberships.
// The PostgreSQL implementation is lib/auth/pg-directory.ts (docs/decisions/006-auth.md).

export interface AgentIdentity {
  readonly agentId: string;
  readonly householdId: string;
  /**
   * The agent's credentials_changed_at when its secret was verified (ms since epoch, µs precision,
   * as CredentialChange.changedMs). A change stamped at or before it is the one this secret came
   * from, so it does not cut off the connection (broker/credential-watch.ts).
   */
  readonly credentialsChangedMs?: number;
}

export interface CredentialChange {
  readonly agentId: string;
  /** When the change was stamped (ms since epoch, µs precision). */
  readonly changedMs: number;
}

export interface CredentialChanges {
  readonly changes: readonly CredentialChange[];
  readonly newestMs: number;
}

export interface AgentDirectory {
  /** The agent when `secret` is its current secret and it is not revoked; otherwise undefined. */
  verifyAgent(agentId: string, secret: string): Promise<AgentIdentity | undefined>;
  /**
   * Agents whose credentials were rotated or revoked after `since` (ms since epoch) with the time
   * of each change, and the newest change time seen, to pass as `since` next time.
   */
  credentialChangesSince(sinceMs: number): Promise<CredentialChanges>;
}

export interface MembershipDirectory {
  /** Household ids the user with token subject `subject` belongs to (any role). */
  householdsOf(subject: string): Promise<readonly string[]>;
}

export type HouseholdRole = 'owner' | 'member';

export interface HouseholdRoles {
  /** The role of the user with token subject `subject` in the household; undefined when not a member. */
  roleIn(subject: string, householdId: string): Promise<HouseholdRole | undefined>;
}
