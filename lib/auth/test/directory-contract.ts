// The contract every AgentDirectory + MembershipDirectory must honour (STYLE.md: one abstract suite
// per port). Run against an implementation by calling describeDirectoryContract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthDatabase } from '../../../test/support/auth-database.js';
import type { AgentDirectory, MembershipDirectory } from '../directory.js';

export interface DirectoryFixture {
  readonly db: AuthDatabase;
  readonly directory: AgentDirectory & MembershipDirectory;
  close(): Promise<void>;
}

export function describeDirectoryContract(name: string, open: () => Promise<DirectoryFixture>): void {
  describe(`directory contract: ${name}`, () => {
    let fx: DirectoryFixture;
    beforeAll(async () => {
      fx = await open();
    });
    afterAll(() => fx.close());

    it('when an agent presents its current secret, then it is identified with its household', async () => {
      const household = await fx.db.addHousehold();
      const secret = await fx.db.addAgent('agent-ok', household);
      expect(await fx.directory.verifyAgent('agent-ok', secret)).toMatchObject({ agentId: 'agent-ok', householdId: household });
    });

    it('when the secret is wrong, the agent unknown, or the id malformed, then there is no identity', async () => {
      const household = await fx.db.addHousehold();
      const secret = await fx.db.addAgent('agent-wrong', household);
      expect(await fx.directory.verifyAgent('agent-wrong', `${secret}x`)).toBeUndefined();
      expect(await fx.directory.verifyAgent('agent-wrong', '')).toBeUndefined();
      expect(await fx.directory.verifyAgent('no-such-agent', secret)).toBeUndefined();
      expect(await fx.directory.verifyAgent("x' OR '1'='1", secret)).toBeUndefined();
      expect(await fx.directory.verifyAgent('', secret)).toBeUndefined();
    });

    it('when an agent is revoked, then its secret no longer verifies and the change is reported', async () => {
      const household = await fx.db.addHousehold();
      const secret = await fx.db.addAgent('agent-revoked', household);
      const { newestMs } = await fx.directory.credentialChangesSince(0);
      await fx.db.revokeAgent('agent-revoked');
      expect(await fx.directory.verifyAgent('agent-revoked', secret)).toBeUndefined();
      const changes = await fx.directory.credentialChangesSince(newestMs);
      expect(changes.changes.map((c) => c.agentId)).toEqual(['agent-revoked']);
      expect(changes.newestMs).toBeGreaterThan(newestMs);
    });

    it('when an agent is registered, then that is not reported as a credential change (its fresh connection must not be cut off)', async () => {
      const { newestMs } = await fx.directory.credentialChangesSince(0);
      const household = await fx.db.addHousehold();
      await fx.db.addAgent('agent-new', household);
      const changes = await fx.directory.credentialChangesSince(newestMs);
      expect(changes.changes.map((c) => c.agentId)).not.toContain('agent-new');
    });

    it('when a secret is rotated, then only the new one verifies; a change is reported once', async () => {
      const household = await fx.db.addHousehold();
      const old = await fx.db.addAgent('agent-rotated', household);
      const { newestMs } = await fx.directory.credentialChangesSince(0);
      const fresh = await fx.db.rotateAgent('agent-rotated');
      expect(await fx.directory.verifyAgent('agent-rotated', old)).toBeUndefined();
      const identity = await fx.directory.verifyAgent('agent-rotated', fresh);
      expect(identity).toMatchObject({ agentId: 'agent-rotated', householdId: household });
      const first = await fx.directory.credentialChangesSince(newestMs);
      expect(first.changes.map((c) => c.agentId)).toEqual(['agent-rotated']);
      // The new secret is verified with the stamp of the change it came from, to the microsecond:
      // the broker's credential watch leaves connections made with it alone.
      expect(identity?.credentialsChangedMs).toBe(first.changes[0]?.changedMs);
      const again = await fx.directory.credentialChangesSince(first.newestMs);
      expect(again).toEqual({ changes: [], newestMs: first.newestMs });
    });

    it('when a user belongs to households, then householdsOf lists exactly those, by token subject', async () => {
      const [a, b, c] = [await fx.db.addHousehold(), await fx.db.addHousehold(), await fx.db.addHousehold()];
      const ann = await fx.db.addUser('subject-ann');
      const bob = await fx.db.addUser('subject-bob');
      await fx.db.addMembership(a, ann, 'owner');
      await fx.db.addMembership(b, ann);
      await fx.db.addMembership(c, bob);
      expect([...(await fx.directory.householdsOf('subject-ann'))].sort()).toEqual([a, b].sort());
      expect(await fx.directory.householdsOf('subject-nobody')).toEqual([]);
      await fx.db.removeMembership(b, ann);
      expect(await fx.directory.householdsOf('subject-ann')).toEqual([a]);
    });
  });
}
