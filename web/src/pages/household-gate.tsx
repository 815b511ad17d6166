// After login: pick the household (the last one used, else the first); a new account has none
// yet and creates one here (or joins one, or logs out: a new account may be on a shared phone).
import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import { jsonBody, type ApiClient } from '../api/client';
import type { Household } from '../api/types';
import { AppContext } from '../app-context';
import { ErrorState, Loading, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useLogout } from '../hooks/use-logout';
import { LogoutButton, LogoutFailed } from '../components/logout-controls';
import { useDocumentTitle } from '../hooks/use-page-heading';
import { isOperator } from '../lib/token-roles';
import { navigate } from '../router';
import { AcceptInvitation } from './accept-invitation';
import { Shell } from './shell';

const STORED = 'em.household';

export function HouseholdGate({ client }: { client: ApiClient }): ReactNode {
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(STORED));
  const { state, reload } = useAsync((signal) => client.json<{ households: Household[] }>('/api/auth', '/v1/households', { signal }), [client]);
  const households = state.status === 'ok' ? state.data.households : [];
  const household = households.find((h) => h.id === chosen) ?? households[0];
  // What is shown stays shown when the list changes: households come oldest first, so one joined
  // later (an invitation accepted in Settings) may come first, and the page must not move to it
  // by itself. Only the picker (or leaving the shown one) changes the household.
  // (Set while rendering, as React advises for state that follows what was rendered: no effect.)
  if (household !== undefined && household.id !== chosen) setChosen(household.id);

  if (state.status === 'loading') {
    return (
      <main className="centered">
        <Loading label="Loading your household…" />
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main className="centered">
        <ErrorState error={state.error} onRetry={reload} />
      </main>
    );
  }
  if (household === undefined) return <CreateHousehold client={client} onCreated={reload} />;

  const choose = (id: string): void => {
    localStorage.setItem(STORED, id);
    setChosen(id);
  };
  return (
    <AppContext.Provider value={{ client, household, reloadHousehold: reload }}>
      <RefreshFailed error={state.refreshError} onRetry={reload} />
      <Shell households={households} onChoose={choose} />
    </AppContext.Provider>
  );
}

function CreateHousehold({ client, onCreated }: { client: ApiClient; onCreated: () => void }): ReactNode {
  const [name, setName] = useState('My home');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const leaving = useLogout(client.session);
  useDocumentTitle('Set up your household');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await client.json('/api/auth', '/v1/households', { method: 'POST', body: jsonBody({ name, timeZone }) });
      onCreated();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <div className="card auth-card">
        <h1>Set up your household</h1>
        <p>Name your home; you can add devices and your tariff next.</p>
        <form onSubmit={(e) => void submit(e)}>
          <label className="field">
            <span>Household name</span>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>Time zone</span>
            <input required value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="time-zones" />
          </label>
          <TimeZoneList />
          {error !== undefined && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Creating…' : 'Create household'}
          </button>
        </form>
      </div>
      <AcceptInvitation client={client} onJoined={onCreated} />
      {isOperator(client.session.token()) && (
        <p>
          {/* An operator may have no household of their own. */}
          <a
            href="/operator"
            onClick={(e) => {
              e.preventDefault();
              navigate('/operator');
            }}
          >
            Open the operator page
          </a>
        </p>
      )}
      <p>
        <LogoutButton leaving={leaving} />
      </p>
      <LogoutFailed leaving={leaving} />
    </main>
  );
}

export function TimeZoneList(): ReactNode {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <datalist id="time-zones">
      {zones.map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}
