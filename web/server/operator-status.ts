// Alerts and scrape targets as the operator page lists them: firing before pending, newest first;
// targets with their health, and per job how many are up and down.
import type { PromAlert, PromTarget } from './prometheus-client.js';

export type OperatorAlert = {
  readonly name: string;
  readonly state: 'firing' | 'pending';
  readonly severity: string;
  readonly summary: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly activeAt: string | null;
  readonly value: string | null;
};

export type OperatorTarget = { readonly job: string; readonly instance: string; readonly health: string; readonly lastError: string; readonly lastScrape: string | null };
export type JobHealth = { readonly job: string; readonly up: number; readonly down: number };

export function summariseAlerts(alerts: readonly PromAlert[]): OperatorAlert[] {
  const active = alerts.flatMap((alert): OperatorAlert[] =>
    alert.state === 'firing' || alert.state === 'pending'
      ? [
          {
            name: alert.labels.alertname ?? 'unnamed',
            state: alert.state,
            severity: alert.labels.severity ?? '',
            summary: alert.annotations.summary ?? '',
            description: alert.annotations.description ?? '',
            labels: alert.labels,
            activeAt: alert.activeAt ?? null,
            value: alert.value ?? null,
          },
        ]
      : [],
  );
  const rank = (a: OperatorAlert): number => (a.state === 'firing' ? 0 : 1);
  return active.sort((a, b) => rank(a) - rank(b) || (b.activeAt ?? '').localeCompare(a.activeAt ?? '') || a.name.localeCompare(b.name));
}

export function summariseTargets(targets: readonly PromTarget[]): { targets: OperatorTarget[]; jobs: JobHealth[] } {
  const list = targets
    .map((t) => ({ job: t.labels.job ?? '', instance: t.labels.instance ?? '', health: t.health, lastError: t.lastError, lastScrape: t.lastScrape ?? null }))
    .sort((a, b) => a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance));
  const jobs = new Map<string, { up: number; down: number }>();
  for (const target of list) {
    const counts = jobs.get(target.job) ?? { up: 0, down: 0 };
    if (target.health === 'up') counts.up += 1;
    else if (target.health === 'down') counts.down += 1; // 'unknown': not scraped yet
    jobs.set(target.job, counts);
  }
  return { targets: list, jobs: [...jobs].map(([job, counts]) => ({ job, ...counts })) };
}
