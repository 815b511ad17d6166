// Devices: every agent of the household with status and data completeness; add and revoke agents.
import type { ReactNode } from 'react';
import { messageOf } from '../api/api-error';
import type { CompletenessAnswer, DevicesAnswer } from '../api/types';
import { useApp } from '../app-context';
import { Empty, ErrorState, Loading, RefreshFailed } from '../components/status';
import { useAsync } from '../hooks/use-async';
import { useCanChange } from '../hooks/use-can-change';
import { useRefresh } from '../hooks/use-refresh';
import { isoInZone, spanStart } from '../lib/time-zone';
import { AddAgent } from './add-agent';
import { AgentCard } from './agent-card';

interface DevicesView {
  devices: DevicesAnswer;
  completeness: CompletenessAnswer | undefined;
  completenessError: string | undefined;
  nowMs: number;
}

export function DevicesPage(): ReactNode {
  const { client, household } = useApp();
  const canChange = useCanChange();
  const base = `/v1/households/${encodeURIComponent(household.id)}`;
  const { state, reload } = useAsync<DevicesView>(
    async (signal) => {
      const nowMs = Date.now();
      const tz = household.timeZone;
      // The read service allows 7 days of completeness at once: the last six local days and today.
      const query = new URLSearchParams({ from: isoInZone(spanStart(nowMs, 'day', tz, -6), tz), to: isoInZone(spanStart(nowMs, 'day', tz, 1), tz) });
      const [devices, completeness] = await Promise.all([
        client.json<DevicesAnswer>('/api/read', `${base}/devices`, { signal }),
        client.json<CompletenessAnswer>('/api/read', `${base}/completeness?${query}`, { signal }).then(
          (answer) => ({ answer, error: undefined }),
          (err: unknown) => ({ answer: undefined, error: messageOf(err) }),
        ),
      ]);
      return { devices, completeness: completeness.answer, completenessError: completeness.error, nowMs };
    },
    [client, base, household.timeZone],
  );
  useRefresh(reload, 15_000);

  return (
    <>
      <h1>Devices</h1>
      {canChange ? <AddAgent onAdded={reload} /> : <p className="notice">You are a member of this household: only its owners add agents, issue new secrets and revoke agents.</p>}
      <section className="card" aria-labelledby="agents-title">
        <h2 id="agents-title" className="card-title">
          Agents
        </h2>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
        {state.status === 'ok' && <RefreshFailed error={state.refreshError} onRetry={reload} />}
        {state.status === 'ok' && state.data.devices.agents.length === 0 && <Empty>{canChange ? 'No agents yet. Add one above and start it with the command shown.' : 'No agents yet. An owner of the household adds them.'}</Empty>}
        {state.status === 'ok' && state.data.completenessError !== undefined && <ErrorState error={`Data completeness unavailable: ${state.data.completenessError}`} />}
        {state.status === 'ok' &&
          state.data.devices.agents.map((agent) => (
            <AgentCard key={agent.id} agent={agent} completeness={state.data.completeness?.agents.find((a) => a.agent === agent.id)} nowMs={state.data.nowMs} onChanged={reload} />
          ))}
      </section>
    </>
  );
}
