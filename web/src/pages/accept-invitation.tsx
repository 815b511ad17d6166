// Joining a household someone else owns, with the one-time code its owner passed on: on the
// "Set up your household" page of a new account, and in Settings for an account that already has
// one (an account can belong to several households; the header then offers a choice).
import { useState, type FormEvent, type ReactNode } from 'react';
import { jsonBody, type ApiClient } from '../api/client';
import { SaveStatus } from '../components/save-status';
import { useSave } from '../hooks/use-save';

interface AcceptProps {
  client: ApiClient;
  onJoined: () => void;
  title?: string;
  /** Said once joined, where the page stays (Settings); the set-up page moves on instead. */
  joinedText?: string;
  className?: string;
}

export function AcceptInvitation({ client, onJoined, title = 'Invited to a household?', joinedText, className = 'card auth-card' }: AcceptProps): ReactNode {
  const [token, setToken] = useState('');
  const join = useSave();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void join.run(async () => {
      await client.json('/api/auth', '/v1/invitations/accept', { method: 'POST', body: jsonBody({ token: token.trim() }) });
      setToken('');
      onJoined();
    });
  };
  return (
    <section className={className} aria-label={title}>
      <h2 className="card-title">{title}</h2>
      <form onSubmit={submit}>
        <label className="field">
          <span>Invitation code</span>
          <input required value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
        </label>
        <SaveStatus save={join} savedText={joinedText ?? ''} />
        <button type="submit" className="button secondary wide" disabled={join.busy}>
          Join household
        </button>
      </form>
    </section>
  );
}
