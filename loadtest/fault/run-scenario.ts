// One fault scenario on its platform, then the loss check. Returns what to print rather than
// printing it: a run interrupted meanwhile abandons this promise, and whatever it would still say
// (a loss report, a failure caused by the stopped platform) must not appear after the fact.
import { formatLossReport, runLossCheck } from '../loss-check/loss-check.js';
import type { LossReport } from '../loss-check/loss-classifier.js';
import { DATABASE, type FaultPlatform } from './fault-platform.js';
import type { Scenario, ScenarioSettings } from './scenarios.js';

export interface ScenarioOutcome {
  readonly passed: boolean;
  readonly totals?: LossReport['totals'];
  readonly drainedAfterMs?: number;
  readonly error?: string;
}

export interface ScenarioRun {
  readonly outcome: ScenarioOutcome;
  /** The loss report, or why the scenario failed. */
  readonly text: string;
}

export async function runScenario(scenario: Scenario, platform: Promise<FaultPlatform>, settings: ScenarioSettings): Promise<ScenarioRun> {
  try {
    const started = await platform;
    await scenario.run(started, settings);
    const check = await runLossCheck({
      influxUrl: started.influxUrl(),
      database: DATABASE,
      ledgerPaths: [started.ledgerPath],
      buffered: [() => started.journalDepth()],
      drainTimeoutMs: 300_000,
    });
    return {
      outcome: { passed: check.passed, totals: check.report.totals, drainedAfterMs: check.drain.waitedMs },
      text: formatLossReport(check),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: { passed: false, error: String(error) }, text: `FAIL: ${message}` };
  }
}
