// Creates or adjusts, idempotently at every start, the retention policies and continuous queries of
// the read model (docs/decisions/008-read-model.md):
// - raw points stay in the database's DEFAULT policy (writes without `rp=` land there), whose
//   duration is set to the configured raw retention. On an existing database that is `autogen`:
//   it is altered rather than replaced, so the points already in it stay visible;
// - one policy per rollup with its own duration, filled by a continuous query;
// - before a default policy's duration is shortened, the rollups are backfilled from all raw data
//   it holds, so shortening never loses history that only exists raw.
import type { Logger } from '../../../lib/log.js';
import { influxDuration, parseInfluxShowDuration } from '../domain/durations.js';
import type { InfluxClient } from './influx-client.js';
import { ident } from './influxql.js';
import { backfillRollups, earliestRawPointMs } from './rollup-backfill.js';
import { continuousQueryText, CQ_PREFIX, cqName, type RetentionLayout } from './rollup-layout.js';

interface PolicyRow {
  readonly name: string;
  readonly durationMs: number;
  readonly isDefault: boolean;
}

async function showPolicies(client: InfluxClient, database: string): Promise<PolicyRow[]> {
  const series = await client.query(`SHOW RETENTION POLICIES ON ${ident(database)}`);
  const rows = series[0]?.values ?? [];
  const columns = series[0]?.columns ?? [];
  const at = (name: string): number => columns.indexOf(name);
  return rows.map((row) => ({
    name: String(row[at('name')]),
    durationMs: parseInfluxShowDuration(String(row[at('duration')])),
    isDefault: row[at('default')] === true,
  }));
}

/** Shard groups of about a day for short policies, a week for long ones (InfluxDB's own defaults). */
function shardDuration(durationMs: number): string {
  if (durationMs <= 2 * 86_400_000) return '1h';
  return durationMs <= 180 * 86_400_000 ? '1d' : '7d';
}

async function ensurePolicy(client: InfluxClient, database: string, existing: readonly PolicyRow[], name: string, durationMs: number): Promise<void> {
  const current = existing.find((p) => p.name === name);
  if (current?.durationMs === durationMs) return;
  const verb = current === undefined ? 'CREATE' : 'ALTER';
  const replication = current === undefined ? ' REPLICATION 1' : '';
  await client.query(
    `${verb} RETENTION POLICY ${ident(name)} ON ${ident(database)} DURATION ${influxDuration(durationMs)}${replication} SHARD DURATION ${shardDuration(durationMs)}`,
  );
}

async function ensureContinuousQueries(client: InfluxClient, layout: RetentionLayout, rawPolicy: string, log: Logger): Promise<void> {
  const series = await client.query('SHOW CONTINUOUS QUERIES');
  const ours = series.find((s) => s.name === layout.database);
  const existing = (ours?.values ?? []).map((row) => String(row[0])).filter((name) => name.startsWith(CQ_PREFIX));
  const wanted = layout.rollups.map((rollup) => ({ name: cqName(layout, rawPolicy, rollup), text: continuousQueryText(layout, rawPolicy, rollup) }));
  for (const name of existing.filter((n) => !wanted.some((w) => w.name === n))) {
    await client.query(`DROP CONTINUOUS QUERY ${ident(name)} ON ${ident(layout.database)}`);
    log.info({ name }, 'dropped an outdated continuous query');
  }
  for (const cq of wanted.filter((w) => !existing.includes(w.name))) {
    await client.query(cq.text);
    log.info({ name: cq.name }, 'created continuous query');
  }
}

/** Returns the name of the raw (default) retention policy. */
export async function ensureRetention(client: InfluxClient, layout: RetentionLayout, log: Logger, nowMs: number): Promise<string> {
  await client.query(`CREATE DATABASE ${ident(layout.database)}`);
  let policies = await showPolicies(client, layout.database);
  for (const rollup of layout.rollups) await ensurePolicy(client, layout.database, policies, rollup.name, rollup.retentionMs);
  policies = await showPolicies(client, layout.database);
  const raw = policies.find((p) => p.isDefault) ?? { name: 'autogen', durationMs: Infinity, isDefault: false };
  await ensureContinuousQueries(client, layout, raw.name, log);
  if (raw.durationMs !== layout.rawRetentionMs || !raw.isDefault) {
    if (layout.rawRetentionMs < raw.durationMs) {
      const earliest = await earliestRawPointMs(client, layout, raw.name);
      if (earliest !== undefined) await backfillRollups(client, layout, raw.name, { fromMs: earliest, toMs: nowMs }, log);
    }
    const verb = policies.some((p) => p.name === raw.name) ? 'ALTER' : 'CREATE';
    await client.query(
      `${verb} RETENTION POLICY ${ident(raw.name)} ON ${ident(layout.database)} DURATION ${influxDuration(layout.rawRetentionMs)}` +
        `${verb === 'CREATE' ? ' REPLICATION 1' : ''} SHARD DURATION ${shardDuration(layout.rawRetentionMs)} DEFAULT`,
    );
    log.info({ policy: raw.name, duration: influxDuration(layout.rawRetentionMs) }, 'raw retention set');
  }
  return raw.name;
}
