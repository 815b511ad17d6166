// What each agent produced, for a loss checker to compare with what arrived downstream.
// In memory and compact (two numbers per container); a fleet can switch it off for long runs.
import type { ReadingContainer } from '../proto/container.js';

export interface ProducedContainer {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  readonly readings: number;
}

interface AgentProduction {
  readonly householdId: string;
  readonly seqs: number[];
  readonly readings: number[];
}

export class ProductionRecord {
  readonly #byAgent = new Map<string, AgentProduction>();
  #containers = 0;
  #readings = 0;

  record(container: ReadingContainer): void {
    let agent = this.#byAgent.get(container.agentId);
    if (agent === undefined) {
      agent = { householdId: container.householdId, seqs: [], readings: [] };
      this.#byAgent.set(container.agentId, agent);
    }
    agent.seqs.push(container.seq);
    agent.readings.push(container.measurements.length);
    this.#containers++;
    this.#readings += container.measurements.length;
  }

  /** In the order they were sealed (ascending seq). */
  forAgent(agentId: string): ProducedContainer[] {
    const agent = this.#byAgent.get(agentId);
    if (agent === undefined) return [];
    return agent.seqs.map((seq, i) => ({ householdId: agent.householdId, agentId, seq, readings: agent.readings[i] ?? 0 }));
  }

  all(): ProducedContainer[] {
    return [...this.#byAgent.keys()].flatMap((agentId) => this.forAgent(agentId));
  }

  totals(): { readonly containers: number; readonly readings: number } {
    return { containers: this.#containers, readings: this.#readings };
  }
}
