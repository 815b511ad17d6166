// A member leaves the household: DELETE of their own membership (auth service, "owner, or self").
// Owners do not get the button: the service refuses the last owner (409 last-owner), and the page
// does not know whether another owner remains. The caller's user id is the member whose email
// /v1/me reports (the token's subject is the user id only for local accounts).
import { useState, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import type { Member } from '../api/types';
import { useApp } from '../app-context';
import { navigate } from '../router';

export function LeaveHousehold(): ReactNode {
  const { client, household, reloadHousehold } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (household.role !== 'member') return null;

  const base = `/v1/households/${encodeURIComponent(household.id)}`;
  const leave = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const [me, { members }] = await Promise.all([
        client.json<{ email: string }>('/api/auth', '/v1/me'),
        client.json<{ members: Member[] }>('/api/auth', `${base}/members`),
      ]);
      const self = members.find((m) => m.email === me.email);
      if (self === undefined) throw new Error('You are no longer a member of this household.');
      await client.json('/api/auth', `${base}/members/${encodeURIComponent(self.userId)}`, { method: 'DELETE' });
      navigate('/');
      reloadHousehold();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="leave-title">
      <h2 id="leave-title" className="card-title">
        Leave household
      </h2>
      <div className="toolbar">
        {confirming ? (
          <>
            <span>Leave {household.name}? You lose access to its data until an owner invites you again.</span>
            <button type="button" className="button danger small" disabled={busy} onClick={() => void leave()}>
              Yes, leave
            </button>
            <button type="button" className="button secondary small" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="button danger small" onClick={() => setConfirming(true)}>
            Leave household
          </button>
        )}
      </div>
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
