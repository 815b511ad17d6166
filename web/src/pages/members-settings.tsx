// Who belongs to the household. Owners invite by email: the auth service returns a one-time
// token (it sends no email yet) for the invitee to accept while logged in with that address; the
// invitations not yet accepted are listed for them, each with a way to withdraw it.
import { useState, type FormEvent, type ReactNode } from 'react';
import { jsonBody } from '../api/client';
import type { Member } from '../api/types';
import { useApp } from '../app-context';
import { CopyButton } from '../components/copy-button';
import { SaveStatus } from '../components/save-status';
import { ErrorState, Loading, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useCanChange } from '../hooks/use-can-change';
import { useSave } from '../hooks/use-save';
import { OpenInvitations } from './open-invitations';

export function MembersSettings(): ReactNode {
  const { client, household } = useApp();
  const base = `/v1/households/${encodeURIComponent(household.id)}`;
  const { state, reload } = useAsync((signal) => client.json<{ members: Member[] }>('/api/auth', `${base}/members`, { signal }), [client, base]);
  const [email, setEmail] = useState('');
  const [token, setToken] = useState<string | undefined>();
  const [invited, setInvited] = useState(0);
  const invite = useSave();
  const remove = useSave();
  const owner = useCanChange();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void invite.run(async () => {
      const answer = await client.json<{ token: string }>('/api/auth', `${base}/invitations`, { method: 'POST', body: jsonBody({ email }) });
      setToken(answer.token);
      setEmail('');
      setInvited((n) => n + 1);
    });
  };

  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title" className="card-title">
        Members
      </h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && <RefreshFailed error={state.refreshError} onRetry={reload} />}
      {state.status === 'ok' && (
        <ul className="breakdown">
          {state.data.members.map((m) => (
            <li key={m.userId}>
              <span className="breakdown-name">
                {m.displayName !== undefined && m.displayName !== null && m.displayName !== '' ? `${m.displayName} · ` : ''}
                {m.email ?? m.userId}
              </span>
              <span className="breakdown-value">
                {m.role}
                {owner && m.role !== 'owner' && (
                  <>
                    {' '}
                    <button type="button" className="button danger small" onClick={() => void remove.run(async () => {
                      await client.json('/api/auth', `${base}/members/${encodeURIComponent(m.userId)}`, { method: 'DELETE' });
                      reload();
                    })}>
                      Remove
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <SaveStatus save={remove} savedText="Member removed." />
      {owner && (
        <form onSubmit={submit} className="toolbar">
          <label className="field" style={{ flex: '1 1 14rem', marginBottom: 0 }}>
            <span>Invite by email</span>
            {/* Not type="email": browsers refuse a non-ASCII local part there (josé@…), which the service accepts (RFC 6531). */}
            <input type="text" inputMode="email" autoCapitalize="none" spellCheck={false} required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={invite.busy} style={{ alignSelf: 'flex-end' }}>
            Invite
          </button>
        </form>
      )}
      <SaveStatus save={invite} savedText="Invitation created." />
      {token !== undefined && (
        <div className="notice">
          <p>Give this one-time code to the person you invited; they accept it after logging in (valid 7 days):</p>
          <p className="secret">{token}</p>
          <CopyButton text={token} label="Copy code" />
        </div>
      )}
      {owner && <OpenInvitations version={invited} />}
    </section>
  );
}
