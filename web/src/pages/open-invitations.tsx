// The household's invitations nobody has accepted yet, for its owners: to whom, until when, and a
// way to withdraw one (a mistyped address, a change of mind). The code itself is shown only once,
// when the invitation is made: the auth service keeps its hash, not the code.
import type { ReactNode } from 'react';
import type { OpenInvitation } from '../api/types';
import { useApp } from '../app-context';
import { SaveStatus } from '../components/save-status';
import { ErrorState, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useSave } from '../hooks/use-save';
import { formatDateTime } from '../lib/format';

/** `version` changes when an invitation was made here, so that the list reads it. */
export function OpenInvitations({ version }: { version: number }): ReactNode {
  const { client, household } = useApp();
  const base = `/v1/households/${encodeURIComponent(household.id)}/invitations`;
  const { state, reload } = useAsync((signal) => client.json<{ invitations: OpenInvitation[] }>('/api/auth', base, { signal }), [client, base, version]);
  const withdraw = useSave();

  if (state.status === 'loading') return null;
  if (state.status === 'error') return <ErrorState error={`Open invitations unavailable: ${state.error.message}`} onRetry={reload} />;
  const { invitations } = state.data;
  return (
    <>
      <RefreshFailed error={state.refreshError} onRetry={reload} />
      {invitations.length === 0 && <p className="hint">No open invitations.</p>}
      {invitations.length > 0 && (
        <>
          <h3 className="subhead">Open invitations</h3>
          <ul className="breakdown" aria-label="Open invitations">
            {invitations.map((invitation) => (
              <li key={invitation.id}>
                <span className="breakdown-name">{invitation.email}</span>
                <span className="breakdown-value">
                  until {formatDateTime(Date.parse(invitation.expiresAt), household.timeZone)}{' '}
                  <button
                    type="button"
                    className="button danger small"
                    aria-label={`Withdraw the invitation of ${invitation.email}`}
                    disabled={withdraw.busy}
                    onClick={() =>
                      void withdraw.run(async () => {
                        await client.json('/api/auth', `${base}/${encodeURIComponent(invitation.id)}`, { method: 'DELETE' });
                        reload();
                      })
                    }
                  >
                    Withdraw
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <SaveStatus save={withdraw} savedText="Invitation withdrawn: its code no longer works." />
    </>
  );
}
