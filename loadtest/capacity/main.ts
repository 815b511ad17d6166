// npm run capacity (usage: USAGE below). Prints how many nodes each tier needs for the fleet, and
// which measured limit sets each count.
import { z } from 'zod';
import { buildPayload } from '../perftest/payload.js';
import { connectionMemoryPerNodeMb, planCapacity, type CapacityPlan, type FleetDemand, type NodeCapacity } from './capacity-model.js';
import { FIGURE_SOURCES, MEASURED_NODE } from './measured-node.js';
import { parseCommandLine } from '../../lib/cli/command-line.js';

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const figureNames = Object.keys(MEASURED_NODE) as (keyof NodeCapacity)[];

const USAGE = `npm run capacity -- [options]
  Nodes per tier for a fleet, from the per-node figures measured on this machine (measured-node.ts).

  --households N           households                                default 2000000
  --messages-per-minute N  containers per household per minute       default 1
  --readings LIST          readings per container, one plan each     default 11,12,30
  --live-share F           share of households watched live (0-1)    default 0.05
  --outage-h H             InfluxDB outage the journals must hold    default 6
  --utilisation F          target utilisation of each node (0-1]     default 0.5
  --spares N               spare nodes per tier                      default 1
  --markdown               print Markdown tables
  --<figure> N             override a measured figure: ${figureNames.map(kebab).join(', ')}
  -h, --help               this text`;

const cli = parseCommandLine(USAGE, {
  households: { type: 'string', default: '2000000' },
  'messages-per-minute': { type: 'string', default: '1' },
  readings: { type: 'string', default: '11,12,30' },
  'live-share': { type: 'string', default: '0.05' },
  'outage-h': { type: 'string', default: '6' },
  utilisation: { type: 'string', default: '0.5' },
  spares: { type: 'string', default: '1' },
  markdown: { type: 'boolean', default: false },
  ...Object.fromEntries(figureNames.map((name) => [kebab(name), { type: 'string' as const }])),
});
const { values } = cli;

const positive = z.coerce.number().positive();
const parsedSettings = z
  .object({
    households: positive.int(),
    messagesPerMinute: positive,
    readings: z.string().transform((v) => v.split(',').map(Number)).pipe(z.array(z.number().int().min(1).max(1000)).min(1)),
    liveShare: z.coerce.number().min(0).max(1),
    outageH: z.coerce.number().min(0),
    utilisation: z.coerce.number().gt(0).max(1),
    spares: z.coerce.number().int().min(0),
  })
  .safeParse({
    households: values.households,
    messagesPerMinute: values['messages-per-minute'],
    readings: values.readings,
    liveShare: values['live-share'],
    outageH: values['outage-h'],
    utilisation: values.utilisation,
    spares: values.spares,
  });
/** A value zod refused, named by its option. */
const optionIssues = (error: z.ZodError): string => error.issues.map((issue) => `--${kebab(String(issue.path[0] ?? ''))}: ${issue.message}`).join('\n');
const settings = parsedSettings.success ? parsedSettings.data : cli.fail(optionIssues(parsedSettings.error));

const node: NodeCapacity = Object.freeze(
  Object.fromEntries(
    figureNames.map((name) => {
      const given = (values as Record<string, unknown>)[kebab(name)];
      if (given === undefined) return [name, MEASURED_NODE[name]];
      const figure = positive.safeParse(given);
      return [name, figure.success ? figure.data : cli.fail(`--${kebab(name)}: ${figure.error.issues.map((issue) => issue.message).join('; ')}`)];
    }),
  ) as unknown as NodeCapacity,
);

/** Protobuf size of a container as our agents encode it (uuid household, agent id, socket ids). */
function bytesPerMessage(readings: number): number {
  const agent = { householdId: '3f2b8c9e-6a1d-4c7e-9b0a-5d4e3f2a1b0c', agentId: 'agent-3f2b8c9e', baseMs: Date.UTC(2026, 10, 23) };
  return buildPayload(agent, 123_456, readings, 0, agent.baseMs).byteLength;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const gb = (bytes: number): string => `${fmt(bytes / 1e9, 1)} GB`;

function printPlan(readings: number, plan: CapacityPlan, demand: FleetDemand): void {
  const { load } = plan;
  const md = values.markdown;
  console.log(md ? `\n**${readings} readings per container** (${demand.bytesPerMessage} B protobuf)\n` : `\n== ${readings} readings per container (${demand.bytesPerMessage} B) ==`);
  console.log(
    `load: ${fmt(load.messagesPerS)} containers/s, ${fmt(load.pointsPerS)} points/s, ${fmt(load.connections)} connections, ` +
      `${fmt(load.series)} series, ${fmt(load.liveStreams)} live streams (${fmt(load.liveEventsPerS)} events/s), ` +
      `${gb(load.outageBufferBytes)} of journal for a ${settings.outageH} h InfluxDB outage (${gb(load.outageBufferBytes / Math.max(1, plan.tiers[0]?.nodes ?? 1))} per ingest node)`,
  );
  if (md) console.log('\n| tier | nodes | set by | each constraint: demand ÷ per node → nodes |\n|---|---|---|---|');
  for (const tier of plan.tiers) {
    const detail = tier.constraints.map((c) => `${c.name}: ${fmt(c.demand, c.demand < 100 ? 2 : 0)} ÷ ${fmt(c.perNode)} ${c.unit} → ${c.nodes}`).join('; ');
    console.log(md ? `| ${tier.tier} | **${tier.nodes}** | ${tier.binding.name} | ${detail} |` : `${tier.tier}: ${tier.nodes} nodes (set by ${tier.binding.name}) — ${detail}`);
  }
}

console.log(
  `${fmt(settings.households)} households × ${settings.messagesPerMinute} container/min; busiest hour at ${settings.utilisation * 100}% of measured capacity ` +
    `(connections at 100%: the file limit is a wall), +${settings.spares} spare node per tier; ${settings.liveShare * 100}% of households watched live.`,
);
console.log(`Idle connections cost ${fmt(connectionMemoryPerNodeMb(node))} MB of RSS per ingest node.`);
for (const readings of settings.readings) {
  const demand: FleetDemand = {
    households: settings.households,
    messagesPerMinute: settings.messagesPerMinute,
    readingsPerMessage: readings,
    liveViewerShare: settings.liveShare,
    bytesPerMessage: bytesPerMessage(readings),
    outageBufferS: settings.outageH * 3600,
  };
  printPlan(readings, planCapacity(demand, node, { targetUtilisation: settings.utilisation, spareNodes: settings.spares }), demand);
}
console.log(values.markdown ? '\nPer-node figures:\n' : '\nper-node figures:');
for (const name of figureNames) console.log(`${values.markdown ? '- ' : '  '}${kebab(name)} = ${fmt(node[name])}: ${FIGURE_SOURCES[name]}`);
