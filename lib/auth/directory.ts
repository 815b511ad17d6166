// Read-only questions the broker and the read service ask about credentials and memberships.
// The PostgreSQL implementation is lib/auth/pg-directory.ts (docs/decisions/006-auth.md).

export interface AgentIdentity {
  readonly agentId: string;
  readonly householdId: string;
}

export interface AgentDirectory {
  /** The agent when `secret` is its current secret and it is not revoked; otherwise undefined. */
  verifyAgent(agentId: string, secret: string): Promise<AgentIdentity | undefined>;
  /**
   * Agents whose credentials were rotated or revoked after `since` (ms since epoch), and the
   * newest change time seen, to pass as `since` next time.
   */
  credentialChangesSince(sinceMs: number): Promise<{ readonly agentIds: readonly string[]; readonly newestMs: number }>;
}

export interface MembershipDirectory {
  /** Household ids the user with token subject `subject` belongs to (any role). */
  householdsOf(subject: string): Promise<readonly string[]>;
}
