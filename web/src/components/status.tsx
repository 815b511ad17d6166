// Loading, empty and error states, one look everywhere.
import type { ReactNode } from 'react';
import { messageOf } from '../api/api-error';

export function Loading({ label = 'Loading…' }: { label?: string }): ReactNode {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }): ReactNode {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorState({ error, onRetry }: { error: Error | string; onRetry?: () => void }): ReactNode {
  return (
    <div className="state state-error" role="alert">
      <p>{typeof error === 'string' ? error : messageOf(error)}</p>
      {onRetry !== undefined && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Figures still shown after a refresh failed: why, and a way to try again now. */
export function RefreshFailed({ error, onRetry }: { error: Error | undefined; onRetry: () => void }): ReactNode {
  if (error === undefined) return null;
  return (
    <div className="notice refresh-failed" role="status">
      <span>Not up to date: {messageOf(error)}</span>{' '}
      <button type="button" className="button secondary small" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
