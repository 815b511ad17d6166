import { describe, expect, it } from 'vitest';
import { connectionMemoryPerNodeMb, fleetLoad, planCapacity, type FleetDemand, type NodeCapacity } from '../capacity-model.js';

const demand: FleetDemand = {
  households: 2_000_000,
  messagesPerMinute: 1,
  readingsPerMessage: 12,
  liveViewerShare: 0.05,
  bytesPerMessage: 500,
  outageBufferS: 3600,
};

const node: NodeCapacity = {
  brokerMessagesPerS: 10_000,
  brokerConnectionsPerProcess: 20_000,
  brokerProcessesPerNode: 2,
  brokerKbPerConnection: 10,
  writerPointsPerS: 50_000,
  influxPointsPerS: 100_000,
  influxSeriesPerNode: 10_000_000,
  readStreamsPerProcess: 10_000,
  readEventsPerS: 20_000,
  readProcessesPerNode: 2,
};

describe('fleet load', () => {
  it('turns households into messages, points, series and buffer bytes', () => {
    const load = fleetLoad(demand);
    expect(load.messagesPerS).toBeCloseTo(33_333.33, 1);
    expect(load.pointsPerS).toBeCloseTo(400_000, 0);
    expect(load.series).toBe(24_000_000);
    expect(load.connections).toBe(2_000_000);
    expect(load.liveStreams).toBe(100_000);
    expect(load.liveEventsPerS).toBeCloseTo(1666.67, 1);
    expect(load.outageBufferBytes).toBeCloseTo((2_000_000 / 60) * 500 * 3600, 0);
  });
});

describe('capacity plan', () => {
  const plan = planCapacity(demand, node, { targetUtilisation: 0.5, spareNodes: 1 });
  const byName = (name: string) => plan.tiers.find((t) => t.tier.startsWith(name));

  it('sizes the ingest tier by connections when traffic per agent is low', () => {
    const ingest = byName('ingest');
    expect(ingest?.binding.name).toBe('agent connections');
    // 2,000,000 / (20,000 × 2) = 50 nodes, plus one spare.
    expect(ingest?.nodes).toBe(51);
  });

  it('adds up the broker\'s and the writer\'s shares of the cores they share', () => {
    const shared = byName('ingest')?.constraints.find((c) => c.name.startsWith('cores'));
    // 33,333 / 20,000 + 400,000 / 50,000 = 9.67 node-loads; at 50 % → 20 nodes.
    expect(shared?.demand).toBeCloseTo(33_333.33 / 20_000 + 8, 3);
    expect(shared?.nodes).toBe(20);
  });

  it('sizes InfluxDB by the larger of points/s at the target utilisation and series', () => {
    const influx = byName('InfluxDB');
    // points: 400,000 / (100,000 × 0.5) = 8; series: 24M / 10M = 3 (rounded up).
    expect(influx?.constraints.map((c) => c.nodes)).toEqual([8, 3]);
    expect(influx?.binding.name).toBe('points ingested');
    expect(influx?.nodes).toBe(9);
  });

  it('names series as the limit when readings per message are many and points per node are high', () => {
    const many = planCapacity({ ...demand, readingsPerMessage: 30 }, { ...node, influxPointsPerS: 1_000_000 }, { targetUtilisation: 0.5, spareNodes: 0 });
    const influx = many.tiers.find((t) => t.tier.startsWith('InfluxDB'));
    expect(influx?.binding.name).toBe('series held');
    expect(influx?.nodes).toBe(6);
  });

  it('sizes the read tier by streams held', () => {
    const read = byName('read');
    // 100,000 / (10,000 × 2 × 0.5) = 10, plus one spare.
    expect(read?.nodes).toBe(11);
    expect(read?.binding.name).toBe('SSE streams');
  });

  it('refuses a utilisation outside (0, 1] and a capacity that is not positive', () => {
    expect(() => planCapacity(demand, node, { targetUtilisation: 0, spareNodes: 0 })).toThrow(RangeError);
    expect(() => planCapacity(demand, node, { targetUtilisation: 1.5, spareNodes: 0 })).toThrow(RangeError);
    expect(() => planCapacity(demand, { ...node, influxPointsPerS: 0 }, { targetUtilisation: 0.5, spareNodes: 0 })).toThrow(/InfluxDB|points/);
  });

  it('reports the memory a node spends on idle connections', () => {
    expect(connectionMemoryPerNodeMb(node)).toBeCloseTo((20_000 * 2 * 10) / 1024, 5);
  });
});
