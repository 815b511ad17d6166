// The loss check as a function: read the ledger, wait for the pipeline to drain, read InfluxDB,
// classify. Used by loadtest/loss-check-cli.ts (operators) and by the fault-injection tests.
import { readProductionLedger } from '../../device-agent/production-ledger.js';
import { classifyLoss, type LossReport, type ProducedContainerSummary, type StoredContainerSummary } from './loss-classifier.js';
import { waitUntilDrained, type DrainResult } from './drain.js';
import { storedContainersOf } from './stored-containers.js';

export interface LossCheckOptions {
  readonly influxUrl: string;
  readonly database: string;
  /** Production ledger file(s) written by the fleet(s) (EM_FLEET_LEDGER_PATH). */
  readonly ledgerPaths?: readonly string[];
  /** How ledgerPaths are read (the CLI turns errors into messages); default readProductionLedger. */
  readonly readLedgers?: (paths: readonly string[]) => readonly ProducedContainerSummary[];
  /** Or what was produced, directly (tests that hold the fleet in-process). */
  readonly produced?: readonly ProducedContainerSummary[];
  readonly buffered?: readonly (() => Promise<number>)[];
  readonly drainTimeoutMs?: number;
  readonly pollMs?: number;
}

export interface LossCheckResult {
  readonly drain: DrainResult;
  readonly report: LossReport;
  /** Stored containers the ledger gained only after it was first read (a fleet still running): left out. */
  readonly sealedLaterContainers: number;
  /** Drained and nothing lost, duplicated, unexpected or out of order. */
  readonly passed: boolean;
}

const containerKey = (c: { readonly agentId: string; readonly seq: number }): string => `${c.agentId}\u0000${c.seq}`;

/**
 * The ledger is read once, first: that is what the check expects. A fleet that keeps running seals
 * more meanwhile; the drain watches only the expected containers, and stored containers that the
 * ledger holds when it is read again, after InfluxDB, were sealed later and are left out rather
 * than called unexpected. A container in neither read is unexpected.
 */
export async function runLossCheck(options: LossCheckOptions): Promise<LossCheckResult> {
  const ledgerPaths = options.ledgerPaths ?? [];
  const readLedgers = options.readLedgers ?? ((paths) => paths.flatMap((path) => readProductionLedger(path)));
  const produced = [...(options.produced ?? []), ...readLedgers(ledgerPaths)];
  const expected = new Set(produced.map(containerKey));
  const households = [...new Set(produced.map((c) => c.householdId))].sort();
  const readStored = async (identities: boolean): Promise<StoredContainerSummary[]> =>
    (await Promise.all(households.map((h) => storedContainersOf(options.influxUrl, options.database, h, { identities })))).flat();
  const drain = await waitUntilDrained(
    {
      buffered: options.buffered ?? [],
      storedReadings: async () => (await readStored(false)).reduce((sum, c) => sum + (expected.has(containerKey(c)) ? c.points : 0), 0),
    },
    { timeoutMs: options.drainTimeoutMs ?? 120_000, pollMs: options.pollMs },
  );
  const stored = await readStored(true);
  const sealedLater = new Set(ledgerPaths.length === 0 ? [] : readLedgers(ledgerPaths).map(containerKey).filter((key) => !expected.has(key)));
  const compared = stored.filter((c) => !sealedLater.has(containerKey(c)));
  const report = classifyLoss(produced, compared);
  return { drain, report, sealedLaterContainers: stored.length - compared.length, passed: drain.drained && report.ok };
}

/** Whether the buffers drained; without a probe only the stored count was watched, and it says so. */
function drainLine(drain: DrainResult): string {
  const after = `after ${(drain.waitedMs / 1000).toFixed(1)} s`;
  if (drain.buffered.length === 0) {
    return `drained: not checked (no buffer probed: pass --metrics with the broker's and the fleet's /metrics URLs); stored count ${drain.drained ? 'stable' : 'still moving'} ${after}`;
  }
  const depths = drain.buffered.map((depth) => (Number.isNaN(depth) ? 'unreachable' : String(depth))).join(', ');
  return `drained: ${drain.drained ? 'yes' : 'NO'} ${after} (buffered: ${depths})`;
}

/** A plain-text table: one row per agent with a problem, then the totals. */
export function formatLossReport(result: LossCheckResult, maxRows = 20): string {
  const { report, drain } = result;
  const lines = [
    drainLine(drain),
    `agents ${report.totals.agents}  produced ${report.totals.producedReadings}  stored ${report.totals.storedReadings}  ` +
      `lost ${report.totals.lostReadings}  duplicated ${report.totals.duplicatedReadings}  ` +
      `unexpected ${report.totals.unexpectedReadings}  out-of-order containers ${report.totals.outOfOrderContainers}`,
  ];
  const ranges = (rs: readonly { from: number; to: number }[]): string =>
    rs.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',') || '-';
  const bad = report.agents.filter((a) => a.lostReadings + a.duplicatedReadings + a.unexpectedReadings + a.outOfOrderSeqs.length > 0);
  for (const a of bad.slice(0, maxRows)) {
    lines.push(
      `  ${a.householdId}/${a.agentId}: lost ${a.lostReadings} (seq ${ranges(a.lostSeqs)}) duplicated ${a.duplicatedReadings} ` +
        `(seq ${ranges(a.duplicatedSeqs)}) unexpected ${a.unexpectedReadings} (seq ${ranges(a.unexpectedSeqs)}) ` +
        `out of order seq ${ranges(a.outOfOrderSeqs)}`,
    );
  }
  if (bad.length > maxRows) lines.push(`  … and ${bad.length - maxRows} more agents`);
  if (result.sealedLaterContainers > 0) {
    lines.push(`note: ${result.sealedLaterContainers} stored containers were sealed after the ledger was read (the fleet is running) and left out`);
  }
  if (report.totals.countOnlyContainers > 0) {
    lines.push(
      `note: ${report.totals.countOnlyContainers} containers were checked by count only: their ledger lines hold no reading ` +
        'identities (written before they were recorded), so a reading lost and replaced by another in the same container goes unnoticed',
    );
  }
  lines.push(result.passed ? 'PASS' : 'FAIL');
  return lines.join('\n');
}
