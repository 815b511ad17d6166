// Log in or create an account. Registration answers the same for new and taken addresses (no
// enumeration), so after registering we simply log in with what was typed.
import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import { jsonBody, type ApiClient } from '../api/client';
import type { Session } from '../api/session';
import { useDocumentTitle } from '../hooks/use-page-heading';

type Mode = 'login' | 'register';

export const DEMO = { email: 'demo@energymonitor.local', password: 'energymonitor-demo' } as const;
/** The auth service's shortest password (services/auth/http/schemas.ts). */
export const MIN_PASSWORD = 12;

export function AuthPage({ session, client }: { session: Session; client: ApiClient }): ReactNode {
  const [mode, setMode] = useState<Mode>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useDocumentTitle(mode === 'login' ? 'Log in' : 'Create account');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    if (mode === 'register' && password.length < MIN_PASSWORD) {
      setError(`Choose a password of at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setBusy(true);
    try {
      if (mode === 'register') {
        await client.json('/api/auth', '/v1/auth/register', { method: 'POST', body: jsonBody({ email, password, ...(displayName === '' ? {} : { displayName }) }) });
      }
      await session.login(email, password);
    } catch (err) {
      const text = messageOf(err);
      setError(mode === 'register' && /credentials/i.test(text) ? 'We could not log you in. If you already have an account, log in with its password.' : text);
      setBusy(false);
    }
  };

  // One click to a live household: fill in the demo account and log in with it.
  const tryDemo = async (): Promise<void> => {
    setMode('login');
    setEmail(DEMO.email);
    setPassword(DEMO.password);
    setError(undefined);
    setBusy(true);
    try {
      await session.login(DEMO.email, DEMO.password);
    } catch (err) {
      setError(`The demo account is not available here: ${messageOf(err)}`);
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <h1 className="brand">
        <span aria-hidden="true">⚡</span> Energymonitor
      </h1>
      <div className="card auth-card">
        <div className="segmented" role="group" aria-label="Account">
          {(['login', 'register'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={mode === m} onClick={() => setMode(m)}>
              {m === 'login' ? 'I have an account' : 'I am new here'}
            </button>
          ))}
        </div>
        <form onSubmit={(e) => void submit(e)} noValidate={false} aria-label={mode === 'login' ? 'Log in' : 'Create account'}>
          {mode === 'register' && (
            <label className="field">
              <span>Your name (optional)</span>
              <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" maxLength={100} />
            </label>
          )}
          <label className="field">
            <span>Email</span>
            {/* Not type="email": browsers refuse a non-ASCII local part there (josé@…), which the service accepts (RFC 6531). */}
            <input type="text" inputMode="email" autoCapitalize="none" spellCheck={false} required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" />
          </label>
          <div className="field">
            <label htmlFor="auth-password">Password</label>
            <input
              id="auth-password"
              type="password"
              required
              minLength={mode === 'register' ? MIN_PASSWORD : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              aria-describedby={mode === 'register' ? 'password-hint' : undefined}
            />
            {mode === 'register' && (
              <small id="password-hint" className="hint">
                At least {MIN_PASSWORD} characters. A phrase of a few words works well.
              </small>
            )}
          </div>
          {error !== undefined && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Create account'}
          </button>
        </form>
        <p className="demo-hint">
          Just looking? <button type="button" className="link" onClick={() => void tryDemo()} disabled={busy}>
            Use the demo account
          </button> — a simulated household with live data.
        </p>
      </div>
    </main>
  );
}
