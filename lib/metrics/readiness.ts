// Readiness: "can this process do its job right now?" — its dependencies answer (InfluxDB pings,
// the journal can be written, the broker is connected). /healthz only says the process is alive;
// /readyz runs these checks, and em_readiness_check_ok{check} exposes the same answers to
// Prometheus (ProcessNotReady in infra/prometheus/rules/platform.yml).
import { Gauge, type Registry } from 'prom-client';

/** A named check: resolves when the dependency is usable, throws (or rejects) with the reason. */
export interface ReadinessCheck {
  readonly name: string;
  run(): Promise<void> | void;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly CheckResult[];
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

/** Runs every check in parallel, each bounded by `timeoutMs` (a hung dependency is not ready). */
export function createReadiness(checks: readonly ReadinessCheck[], options: { readonly timeoutMs?: number } = {}): Readiness {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return {
    async check() {
      const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs)));
      return { ready: results.every((result) => result.ok), checks: results };
    },
  };
}

/** em_readiness_check_ok{check} (1 ok, 0 not), computed at scrape time. */
export function registerReadinessMetrics(registry: Registry, readiness: Readiness): void {
  new Gauge({
    name: 'em_readiness_check_ok',
    help: 'Readiness checks (the same as GET /readyz): 1 when the dependency is usable, 0 when not',
    labelNames: ['check'],
    registers: [registry],
    async collect() {
      const report = await readiness.check();
      for (const result of report.checks) this.set({ check: result.name }, result.ok ? 1 : 0);
    },
  });
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => check.run()), timeout]);
    return { name: check.name, ok: true };
  } catch (error) {
    return { name: check.name, ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
