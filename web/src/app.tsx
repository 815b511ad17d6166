// The app's outer states: restoring the session, the server unreachable while restoring it,
// logged out (login/register), logged in.
import { useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from './api/client';
import type { SessionStatus } from './api/session';
import { SessionUnreachable } from './components/session-unreachable';
import { Loading } from './components/status';
import { isOperator } from './lib/token-roles';
import { AuthPage } from './pages/auth-page';
import { HouseholdGate } from './pages/household-gate';
import { OperatorFrame } from './pages/operator-frame';
import { useRoute } from './router';

export function App({ client }: { client: ApiClient }): ReactNode {
  const session = client.session;
  const [status, setStatus] = useState<SessionStatus>(session.status);
  const route = useRoute();

  useEffect(() => {
    const unsubscribe = session.subscribe(setStatus);
    // A reload keeps the session: the refresh cookie buys a new access token.
    if (session.status === 'unknown') void session.refresh();
    return unsubscribe;
  }, [session]);

  if (status === 'unknown') {
    return (
      <main className="centered">
        <Loading label="Starting…" />
      </main>
    );
  }
  if (status === 'unreachable') return <SessionUnreachable session={session} />;
  if (status === 'anonymous') return <AuthPage session={session} client={client} />;
  // Operators may have no household: their page stands outside the household gate.
  if (route === '/operator' && isOperator(session.token())) return <OperatorFrame client={client} />;
  return <HouseholdGate client={client} />;
}
