// Settings: the account's password. The auth service checks the current one, sets the new one and
// ends every other session of the account (a phone that was lost stays logged in no longer); the
// session in this browser goes on.
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, jsonBody } from '../api/client';
import { useApp } from '../app-context';
import { SaveStatus } from '../components/save-status';
import { useSave } from '../hooks/use-save';
import { MIN_PASSWORD } from './auth-page';

export function PasswordSettings(): ReactNode {
  const { client } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const save = useSave();

  const problem = next.length > 0 && next.length < MIN_PASSWORD ? `At least ${MIN_PASSWORD} characters.` : repeated.length > 0 && repeated !== next ? 'The two new passwords differ.' : undefined;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (problem !== undefined || repeated !== next) return;
    void save.run(async () => {
      try {
        await client.json('/api/auth', '/v1/me/password', { method: 'POST', body: jsonBody({ currentPassword: current, newPassword: next }) });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'invalid-credentials') throw new Error('The current password is wrong.');
        throw err;
      }
      setCurrent('');
      setNext('');
      setRepeated('');
    });
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title" className="card-title">
        Password
      </h2>
      <form onSubmit={submit}>
        <fieldset disabled={save.busy} className="plain">
          <label className="field">
            <span>Current password</span>
            <input type="password" required autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
          </label>
          <label className="field">
            <span>New password</span>
            <input type="password" required minLength={MIN_PASSWORD} maxLength={128} autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} aria-describedby="new-password-hint" />
          </label>
          <p id="new-password-hint" className="hint">
            At least {MIN_PASSWORD} characters. Every other device logged in to this account is logged out.
          </p>
          <label className="field">
            <span>New password again</span>
            <input
              type="password"
              required
              autoComplete="new-password"
              value={repeated}
              onChange={(e) => setRepeated(e.target.value)}
              aria-invalid={problem !== undefined}
              aria-describedby={problem === undefined ? undefined : 'password-problem'}
            />
          </label>
          {problem !== undefined && (
            <p id="password-problem" className="form-error" role="alert">
              {problem}
            </p>
          )}
          <button type="submit" className="button primary">
            Change password
          </button>
        </fieldset>
      </form>
      <SaveStatus save={save} savedText="Password changed. Other devices logged in to this account are logged out." />
    </section>
  );
}
