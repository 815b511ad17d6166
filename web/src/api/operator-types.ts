// Answers of the web server's operator endpoints (web/server/operator-routes.ts).

export type OperatorRange = '1h' | '6h' | '24h';
export const OPERATOR_RANGES: readonly OperatorRange[] = ['1h', '6h', '24h'];

export interface OperatorSeries {
  /** `job=write, reason=x`; empty for a query that sums everything into one series. */
  readonly label: string;
  /** One value per entry of `times`; null where Prometheus had no sample. */
  readonly values: readonly (number | null)[];
}

export interface OperatorChart {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly OperatorSeries[];
}

export interface OperatorSeriesAnswer {
  readonly range: OperatorRange;
  readonly stepS: number;
  /** Unix seconds, shared by every chart. */
  readonly times: readonly number[];
  readonly charts: readonly OperatorChart[];
}

export interface OperatorAlert {
  readonly name: string;
  readonly state: 'firing' | 'pending';
  readonly severity: string;
  readonly summary: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly activeAt: string | null;
  readonly value: string | null;
}

export interface OperatorTarget {
  readonly job: string;
  readonly instance: string;
  readonly health: string;
  readonly lastError: string;
  readonly lastScrape: string | null;
}

export interface OperatorAlertsAnswer {
  readonly alerts: readonly OperatorAlert[];
  readonly targets: readonly OperatorTarget[];
  readonly jobs: readonly { readonly job: string; readonly up: number; readonly down: number }[];
}
