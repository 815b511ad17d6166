// How many nodes of each tier a fleet needs, from what one node was measured to sustain.
// Pure arithmetic, so the numbers in docs/benchmarks.md can be re-derived (npm run capacity) when a
// benchmark moves, and every node count names the constraint that set it.

/** What the fleet asks of the platform. */
export interface FleetDemand {
  readonly households: number;
  /** Containers each agent publishes per minute (one agent per household). */
  readonly messagesPerMinute: number;
  /** Readings per container; each reading is one InfluxDB point and (per device and quantity) one series. */
  readonly readingsPerMessage: number;
  /** Share of households with someone watching live at the busiest hour (SSE streams). */
  readonly liveViewerShare: number;
  /** Protobuf bytes of one container at this many readings (the journal's entry size). */
  readonly bytesPerMessage: number;
  /** How long the ingest tier must buffer when InfluxDB is unreachable, on disk. */
  readonly outageBufferS: number;
}

/** What one node (here: 2 cores) sustains, each figure measured alone (docs/benchmarks.md). */
export interface NodeCapacity {
  /** Durable QoS1 containers/s one broker process acknowledges (journal fsync before PUBACK). */
  readonly brokerMessagesPerS: number;
  /** Idle agent connections one broker process holds (open-file limit per process). */
  readonly brokerConnectionsPerProcess: number;
  /** Broker processes one node runs (one per core: each is one event loop). */
  readonly brokerProcessesPerNode: number;
  /** RSS per idle agent connection in our broker, KB. */
  readonly brokerKbPerConnection: number;
  /** Points/s one write-service process turns into line protocol and lands (journal → InfluxDB). */
  readonly writerPointsPerS: number;
  /** Points/s one InfluxDB node ingests from line protocol. */
  readonly influxPointsPerS: number;
  /** Series one InfluxDB 1.x node holds before its index degrades (vendor sizing guidance). */
  readonly influxSeriesPerNode: number;
  /** SSE streams one read-service process holds. */
  readonly readStreamsPerProcess: number;
  /** Live events/s one read-service process pushes. */
  readonly readEventsPerS: number;
  /** Read-service processes one node runs. */
  readonly readProcessesPerNode: number;
}

export interface Planning {
  /** Busiest-hour load as a share of what was measured: room for bursts and for catching up after an outage. */
  readonly targetUtilisation: number;
  /** Spare nodes per tier so losing one (kill -9, a reboot) keeps the fleet served. */
  readonly spareNodes: number;
}

export interface TierConstraint {
  readonly name: string;
  readonly demand: number;
  readonly perNode: number;
  readonly unit: string;
  /** Nodes this constraint alone needs, before spares. */
  readonly nodes: number;
}

export interface TierPlan {
  readonly tier: string;
  readonly nodes: number;
  /** The constraint that sets the node count. */
  readonly binding: TierConstraint;
  readonly constraints: readonly TierConstraint[];
}

export interface FleetLoad {
  readonly messagesPerS: number;
  readonly pointsPerS: number;
  readonly connections: number;
  readonly series: number;
  readonly liveStreams: number;
  readonly liveEventsPerS: number;
  readonly outageBufferBytes: number;
}

export interface CapacityPlan {
  readonly load: FleetLoad;
  readonly tiers: readonly TierPlan[];
}

export function fleetLoad(demand: FleetDemand): FleetLoad {
  const messagesPerS = (demand.households * demand.messagesPerMinute) / 60;
  const liveStreams = Math.ceil(demand.households * demand.liveViewerShare);
  return {
    messagesPerS,
    pointsPerS: messagesPerS * demand.readingsPerMessage,
    connections: demand.households,
    series: demand.households * demand.readingsPerMessage,
    liveStreams,
    // Each watched household's containers go to its stream(s): one event per container.
    liveEventsPerS: (liveStreams * demand.messagesPerMinute) / 60,
    outageBufferBytes: messagesPerS * demand.bytesPerMessage * demand.outageBufferS,
  };
}

function constraint(name: string, demand: number, perNode: number, unit: string, utilisation: number): TierConstraint {
  if (!(perNode > 0)) throw new RangeError(`${name}: capacity per node must be positive, got ${perNode}`);
  return { name, demand, perNode, unit, nodes: Math.ceil(demand / (perNode * utilisation)) };
}

function tier(name: string, constraints: readonly TierConstraint[], spareNodes: number): TierPlan {
  const binding = constraints.reduce((worst, c) => (c.nodes > worst.nodes ? c : worst));
  return { tier: name, nodes: binding.nodes + spareNodes, binding, constraints };
}

export function planCapacity(demand: FleetDemand, node: NodeCapacity, planning: Planning): CapacityPlan {
  if (!(planning.targetUtilisation > 0 && planning.targetUtilisation <= 1)) {
    throw new RangeError(`target utilisation must be in (0, 1], got ${planning.targetUtilisation}`);
  }
  const load = fleetLoad(demand);
  const u = planning.targetUtilisation;
  const brokers = node.brokerProcessesPerNode;
  // Connections are held whatever the traffic, and the open-file limit is a hard wall, so they are
  // planned at full use of the limit (the limit already sits above the 19,000 measured).
  const ingest = tier(
    'ingest (broker + journal + write service)',
    [
      constraint('agent connections', load.connections, node.brokerConnectionsPerProcess * brokers, 'connections', 1),
      constraint('durable QoS1 acknowledgements', load.messagesPerS, node.brokerMessagesPerS * brokers, 'containers/s', u),
      // The write service runs beside its broker (the journal is a local LMDB file both open).
      constraint('journal → line protocol → InfluxDB', load.pointsPerS, node.writerPointsPerS, 'points/s', u),
      // …so both draw on the same cores: their shares of a node add up.
      constraint(
        'cores shared by broker and writer',
        load.messagesPerS / (node.brokerMessagesPerS * brokers) + load.pointsPerS / node.writerPointsPerS,
        1,
        'node-loads',
        u,
      ),
    ],
    planning.spareNodes,
  );
  const influx = tier(
    'InfluxDB (sharded by household)',
    [
      constraint('points ingested', load.pointsPerS, node.influxPointsPerS, 'points/s', u),
      constraint('series held', load.series, node.influxSeriesPerNode, 'series', 1),
    ],
    planning.spareNodes,
  );
  const read = tier(
    'read service (live streams and history)',
    [
      constraint('SSE streams', load.liveStreams, node.readStreamsPerProcess * node.readProcessesPerNode, 'streams', u),
      constraint('live events pushed', load.liveEventsPerS, node.readEventsPerS * node.readProcessesPerNode, 'events/s', u),
    ],
    planning.spareNodes,
  );
  return { load, tiers: [ingest, influx, read] };
}

/** RSS the ingest tier spends on idle connections, per node, in MB. */
export function connectionMemoryPerNodeMb(node: NodeCapacity): number {
  return (node.brokerConnectionsPerProcess * node.brokerProcessesPerNode * node.brokerKbPerConnection) / 1024;
}
