// Per agent and local day: containers received vs expected from the seq numbers, the gaps, and per
// device the share of the agent's containers that carried it.
import { calendarBuckets, localIso } from '../domain/calendar-buckets.js';
import { completenessByDay, distinctBySeq, findGaps, type DayCompleteness } from '../domain/completeness.js';
import type { ActivityQueries, SeqRow } from '../influx/activity-queries.js';

export interface AgentCompleteness {
  readonly agent: string;
  readonly days: readonly DayCompleteness[];
  readonly gaps: readonly { fromSeq: number; toSeq: number; missing: number; approxFrom: string; approxTo: string }[];
  readonly devices: readonly { device: string; days: readonly { day: string; received: number; share: number | null }[] }[];
}

export async function completenessReport(
  activity: ActivityQueries,
  request: { householdId: string; timeZone: string; fromMs: number; toMs: number },
): Promise<readonly AgentCompleteness[]> {
  const days = calendarBuckets('day', request.fromMs, request.toMs, request.timeZone);
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const rows = await activity.seqRows(request.householdId, first.startMs, last.endMs);
  const byAgent = groupBy(rows, (r) => r.agent);
  return [...byAgent].sort(([a], [b]) => a.localeCompare(b)).map(([agent, agentRows]) => {
    const samples = distinctBySeq(agentRows);
    const gaps = findGaps(samples);
    const agentDays = completenessByDay(samples, gaps, days);
    const devices = [...groupBy(agentRows, (r) => r.device)].sort(([a], [b]) => a.localeCompare(b)).map(([device, deviceRows]) => {
      const deviceSamples = distinctBySeq(deviceRows);
      return {
        device,
        days: days.map((day, i) => {
          const received = deviceSamples.filter((s) => s.timeMs >= day.startMs && s.timeMs < day.endMs).length;
          const expected = agentDays[i]?.expected ?? 0;
          return { day: day.label, received, share: expected === 0 ? null : received / expected };
        }),
      };
    });
    return {
      agent,
      days: agentDays,
      gaps: gaps.map((g) => ({ fromSeq: g.fromSeq, toSeq: g.toSeq, missing: g.missing, approxFrom: localIso(g.approxFromMs, request.timeZone), approxTo: localIso(g.approxToMs, request.timeZone) })),
      devices,
    };
  });
}

function groupBy(rows: readonly SeqRow[], key: (r: SeqRow) => string): Map<string, SeqRow[]> {
  const out = new Map<string, SeqRow[]>();
  for (const row of rows) {
    const list = out.get(key(row)) ?? [];
    list.push(row);
    out.set(key(row), list);
  }
  return out;
}
