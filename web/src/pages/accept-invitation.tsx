// Joining a household someone else owns, with the one-time code its owner passed on: on the
// "Set up your household" page of a new account, and in Settings for an account that already has
// one (an account can belong to several households; the header then offers a choice).
import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import { jsonBody, type ApiClient } from '../api/client';

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
  const [error, setError] = useState<string | undefined>();
  const [joined, setJoined] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setJoined(false);
    try {
      await client.json('/api/auth', '/v1/invitations/accept', { method: 'POST', body: jsonBody({ token: token.trim() }) });
      setToken('');
      setJoined(true);
      onJoined();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section className={className} aria-label={title}>
      <h2 className="card-title">{title}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Invitation code</span>
          <input required value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
        </label>
        {error !== undefined && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {joined && joinedText !== undefined && (
          <p className="hint" role="status">
            {joinedText}
          </p>
        )}
        <button type="submit" className="button secondary wide">
          Join household
        </button>
      </form>
    </section>
  );
}
