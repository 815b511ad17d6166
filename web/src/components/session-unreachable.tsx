// At start the server could not say whether this browser is logged in (auth service down, no
// network): not the login form, which would look like a lost session. The session retries by
// itself with backoff (api/session.ts); Retry asks at once.
import { useEffect, useState, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import type { Session } from '../api/session';
import { useDocumentTitle } from '../hooks/use-page-heading';

export function SessionUnreachable({ session }: { session: Session }): ReactNode {
  const [problem, setProblem] = useState(session.problem);
  const [retrying, setRetrying] = useState(false);
  useDocumentTitle('Not connected');
  useEffect(() => session.subscribe(() => setProblem(session.problem)), [session]);

  const retry = (): void => {
    setRetrying(true);
    // A failure keeps this page (with the new reason); a success or a definite answer replaces it.
    void session.refresh().finally(() => setRetrying(false));
  };

  return (
    <main className="auth">
      <div className="card auth-card" role="alert">
        <h1>Can&apos;t reach Energymonitor right now</h1>
        <p className="form-error">{problem === undefined ? 'The server did not answer.' : messageOf(problem)}</p>
        <p className="meta">You are not logged out: the app tries again by itself.</p>
        <button type="button" className="button primary wide" onClick={retry} disabled={retrying}>
          {retrying ? 'Trying…' : 'Retry'}
        </button>
      </div>
    </main>
  );
}
