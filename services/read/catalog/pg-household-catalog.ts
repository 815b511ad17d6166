// HouseholdCatalog over the auth schema (services/auth/migrations/0001_…): households.time_zone,
// households.tariff (validated with lib/tariff; an invalid stored tariff falls back to the default
// and is logged rather than failing every request), agents. Connection failures become
// CatalogUnavailableError.
import type { Pool } from 'pg';
import type { Logger } from '../../../lib/log.js';
import { DEFAULT_TARIFF, isKnownTimeZone, tariffSchema } from '../../../lib/tariff/tariff.js';
import { CatalogUnavailableError, type AgentRecord, type HouseholdCatalog, type HouseholdSettings } from '../household-catalog.js';

interface HouseholdRow {
  id: string;
  name: string;
  time_zone: string;
  tariff: unknown;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    // SQL errors carry a SQLSTATE `code`; connection problems do not (or are class 08/57).
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    if (code === '' || code.startsWith('08') || code.startsWith('57') || code.startsWith('E')) {
      throw new CatalogUnavailableError(`PostgreSQL is unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
    throw err;
  }
}

export function createPgHouseholdCatalog(pool: Pool, log: Logger): HouseholdCatalog {
  return {
    household: (householdId) =>
      guarded(async () => {
        const { rows } = await pool.query<HouseholdRow>('SELECT id, name, time_zone, tariff FROM households WHERE id = $1', [householdId]);
        const row = rows[0];
        return row === undefined ? undefined : toSettings(row, log);
      }),
    agents: (householdId, { revokedSinceMs }) =>
      guarded(async () => {
        const { rows } = await pool.query<{ id: string; name: string; revoked: boolean }>(
          `SELECT id, name, revoked_at IS NOT NULL AS revoked FROM agents
            WHERE household_id = $1 AND (revoked_at IS NULL OR revoked_at >= $2) ORDER BY id`,
          [householdId, new Date(revokedSinceMs)],
        );
        return rows.map((r): AgentRecord => ({ id: r.id, name: r.name, revoked: r.revoked }));
      }),
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
  };
}

function toSettings(row: HouseholdRow, log: Logger): HouseholdSettings {
  const tariff = tariffSchema.safeParse(row.tariff);
  if (!tariff.success) log.warn({ householdId: row.id, issues: tariff.error.issues }, 'stored tariff is invalid; using the default');
  const timeZone = isKnownTimeZone(row.time_zone) ? row.time_zone : 'UTC';
  if (timeZone !== row.time_zone) log.warn({ householdId: row.id, timeZone: row.time_zone }, 'unknown time zone; using UTC');
  return { id: row.id, name: row.name, timeZone, tariff: tariff.success ? tariff.data : DEFAULT_TARIFF };
}
