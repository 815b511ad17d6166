// The frame around the operator page: it needs no household (an operator may have none), so it
// stands beside the household shell rather than inside it.
import type { ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import { useLogout } from '../hooks/use-logout';
import { LogoutButton, LogoutFailed } from '../components/logout-controls';
import { navigate } from '../router';
import { OperatorPage } from './operator-page';

export function OperatorFrame({ client }: { client: ApiClient }): ReactNode {
  const leaving = useLogout(client.session);
  return (
    <div className="operator-shell">
      <header className="topbar">
        <span className="brand small">
          <span aria-hidden="true">⚡</span> Energymonitor
        </span>
        <span className="household-name">Operator</span>
        <a
          href="/"
          className="button secondary small"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          Home
        </a>
        <LogoutButton leaving={leaving} small />
      </header>
      <LogoutFailed leaving={leaving} inPage />
      <main className="page">
        <OperatorPage client={client} />
      </main>
    </div>
  );
}
