// An address the app has no page for: say so, keep the address as typed, offer the way home.
import type { ReactNode } from 'react';
import { navigate } from '../router';

export function NotFoundPage(): ReactNode {
  return (
    <section className="card" aria-labelledby="not-found-title">
      <h1 id="not-found-title" className="card-title">
        Page not found
      </h1>
      <p>There is no page at this address.</p>
      <p>
        <a
          href="/"
          className="button secondary"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          Go to Now
        </a>
      </p>
    </section>
  );
}
