// What the read service needs to know about a household besides its readings: its time zone, its
// tariff and its agents. Read-only port; the PostgreSQL adapter is catalog/pg-household-catalog.ts.
import type { Tariff } from '../../lib/tariff/tariff.js';

export interface AgentRecord {
  readonly id: string;
  readonly name: string;
  readonly revoked: boolean;
}

export interface HouseholdSettings {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly tariff: Tariff;
}

export interface HouseholdCatalog {
  /** undefined when there is no such household. */
  household(householdId: string): Promise<HouseholdSettings | undefined>;
  /**
   * The household's live agents, and those revoked at or after `revokedSinceMs`. Revoked agents
   * are kept forever (their readings stay theirs), so a household that replaces agents for years
   * has thousands: only the recent ones can have readings a status page would show.
   */
  agents(householdId: string, options: { readonly revokedSinceMs: number }): Promise<readonly AgentRecord[]>;
  ping(): Promise<boolean>;
}

/** PostgreSQL (or whatever backs the catalog) did not answer: the API says 503. */
export class CatalogUnavailableError extends Error {
  override readonly name = 'CatalogUnavailableError';
}
