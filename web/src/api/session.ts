// The login session in the page: the access token is kept in memory only; the refresh token is an
// HttpOnly cookie the web server manages (web/server/session-routes.ts). The token is renewed a
// little before it expires, and on demand when a call was refused with 401.
import { ApiError, errorFromResponse, networkError } from './api-error';

export type SessionStatus = 'unknown' | 'anonymous' | 'authenticated';
type Listener = (status: SessionStatus) => void;

interface TokenAnswer {
  accessToken: string;
  expiresInS: number;
}

/** Renew when this share of the token's life has passed. */
const RENEW_AT = 0.8;

export class Session {
  private accessToken: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  private readonly listeners = new Set<Listener>();
  status: SessionStatus = 'unknown';

  constructor(private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init)) {}

  token(): string | undefined {
    return this.accessToken;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(email: string, password: string): Promise<void> {
    const answer = await this.post('/api/session/login', { email, password });
    if (answer instanceof ApiError) throw answer;
    this.accept(answer);
  }

  /** Renews the access token; false (and logged out) when the session cannot be renewed. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.post('/api/session/refresh', {})
      .then((answer) => {
        if (answer instanceof ApiError) {
          // A network failure keeps the session: the next call or timer tries again.
          if (answer.status === 401 || answer.status === 400 || this.status === 'unknown') this.end();
          else this.schedule(15);
          return false;
        }
        this.accept(answer);
        return true;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  async logout(): Promise<void> {
    await this.post('/api/session/logout', {});
    this.end();
  }

  /** Forgets the session locally (e.g. the server refused the renewed token too). */
  end(): void {
    this.accessToken = undefined;
    clearTimeout(this.timer);
    this.setStatus('anonymous');
  }

  private accept(answer: TokenAnswer): void {
    this.accessToken = answer.accessToken;
    this.schedule(answer.expiresInS * RENEW_AT);
    this.setStatus('authenticated');
  }

  private schedule(seconds: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(5, seconds) * 1000);
  }

  private setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }

  private async post(path: string, body: unknown): Promise<TokenAnswer | ApiError> {
    let response: Response;
    try {
      response = await this.fetchFn(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    } catch (err) {
      return networkError(err);
    }
    if (!response.ok) return errorFromResponse(response);
    if (response.status === 204) return { accessToken: '', expiresInS: 0 };
    return (await response.json()) as TokenAnswer;
  }
}
