// History's reads: power and energy/cost over the shown range and, when comparing, over the
// previous one, fetched together and reloaded whenever the range, period or comparison changes.
import type { ApiClient } from '../api/client';
import type { EnergyAnswer, Period, PowerAnswer } from '../api/types';
import { isoInZone } from '../lib/time-zone';
import { useAsync, type AsyncResult } from './use-async';

export interface HistoryData {
  power: PowerAnswer;
  cost: EnergyAnswer;
  previousPower?: PowerAnswer;
  previousCost?: EnergyAnswer;
}

export interface HistoryQuery {
  fromMs: number;
  toMs: number;
  previousFromMs: number;
  period: Period;
  compare: boolean;
}

export function useHistoryData(client: ApiClient, householdId: string, tz: string, query: HistoryQuery): AsyncResult<HistoryData> {
  const { fromMs, toMs, previousFromMs, period, compare } = query;
  return useAsync<HistoryData>(
    async (signal) => {
      const base = `/v1/households/${encodeURIComponent(householdId)}`;
      const range = (from: number, to: number): string => `from=${encodeURIComponent(isoInZone(from, tz))}&to=${encodeURIComponent(isoInZone(to, tz))}`;
      const get = <T,>(path: string): Promise<T> => client.json<T>('/api/read', `${base}${path}`, { signal });
      const [power, cost, previousPower, previousCost] = await Promise.all([
        get<PowerAnswer>(`/power?${range(fromMs, toMs)}`),
        get<EnergyAnswer>(`/cost?${range(fromMs, toMs)}&period=${period}`),
        compare ? get<PowerAnswer>(`/power?${range(previousFromMs, fromMs)}`) : undefined,
        compare ? get<EnergyAnswer>(`/cost?${range(previousFromMs, fromMs)}&period=${period}`) : undefined,
      ]);
      return { power, cost, previousPower, previousCost };
    },
    [client, householdId, tz, fromMs, toMs, previousFromMs, period, compare],
  );
}
