import { describe, expect, it } from 'vitest';
import { OptionsError, parsePerftestOptions } from '../options.js';

describe('perftest options', () => {
  it('when only the mode is given, then the defaults apply and connections follow agents', () => {
    const o = parsePerftestOptions(['--mode', 'broker-only']);
    expect(o).toMatchObject({ mode: 'broker-only', agents: 10, connections: 10, rate: 1000, readings: 11, qos: 1, payloadBytes: 0, durationMs: 10_000, warmupMs: 2000, window: 16, durable: true });
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('when PerfTest short flags are used, then they map to the long options', () => {
    const o = parsePerftestOptions(['-m', 'pipeline', '-x', '40', '-c', '4', '-r', '0', '-n', '30', '-q', '0', '-s', '470', '-z', '2.5']);
    expect(o).toMatchObject({ mode: 'pipeline', agents: 40, connections: 4, rate: 0, readings: 30, qos: 0, payloadBytes: 470, durationMs: 2500 });
  });

  it('when --producers is given, then it is the number of agents', () => {
    expect(parsePerftestOptions(['--mode', 'influx-raw', '--producers', '7']).agents).toBe(7);
  });

  it('when the mode is connection-storm, then 19,000 agents and the storm defaults apply', () => {
    const o = parsePerftestOptions(['--mode', 'connection-storm']);
    expect(o).toMatchObject({ agents: 19_000, connectRate: 0, keepaliveS: 60, settleMs: 30_000, targets: ['ours', 'bare-aedes', 'mosquitto'], perProcess: 7000, sourceAddresses: 10, brokerNodeOptions: '' });
  });

  it('when the mode is live-fanout, then viewers default to 1,000 and watched households to the smaller of agents and viewers', () => {
    expect(parsePerftestOptions(['--mode', 'live-fanout', '-x', '200'])).toMatchObject({ viewers: 1000, watched: 200, postgresUrl: undefined });
    expect(parsePerftestOptions(['--mode', 'live-fanout', '-x', '5000', '--viewers', '300'])).toMatchObject({ viewers: 300, watched: 300 });
  });

  it('when storm options are given, then they are parsed and repeated targets count once', () => {
    const o = parsePerftestOptions(['--mode', 'connection-storm', '-x', '500', '--target', 'mosquitto,ours,mosquitto', '--connect-rate', '200', '--keepalive-s', '30', '--settle-s', '1.5', '--broker-node-options=--max-semi-space-size=1']);
    expect(o).toMatchObject({ agents: 500, targets: ['mosquitto', 'ours'], connectRate: 200, keepaliveS: 30, settleMs: 1500, brokerNodeOptions: '--max-semi-space-size=1' });
  });

  it.each([
    [['--mode', 'connection-storm', '--target', 'hivemq'], /--target/],
    [['--mode', 'connection-storm', '--keepalive-s', '0'], /--keepalive-s/],
    [['--mode', 'connection-storm', '--per-process', '20000'], /--per-process/],
    [['--rate', '10'], /--mode/],
    [['--mode', 'kafka'], /--mode/],
    [['--mode', 'pipeline', '--qos', '2'], /--qos/],
    [['--mode', 'pipeline', '--agents', '0'], /--agents/],
    [['--mode', 'pipeline', '--agents', 'ten'], /--agents/],
    [['--mode', 'pipeline', '--duration-s', '-1'], /--duration-s/],
    [['--mode', 'pipeline', '--agents', '2', '--connections', '3'], /--connections/],
    [['--mode', 'pipeline', '--durable', 'yes'], /--durable/],
    [['--mode', 'pipeline', '--warmup-s', '-2'], /--warmup-s/],
    [['--mode', 'pipeline', '--label', '../x'], /--label/],
    [['--mode', 'pipeline', '--influx-url', 'not a url'], /--influx-url/],
    [['--mode', 'pipeline', '--bogus', '1'], /bogus/],
    [['--mode', 'live-fanout', '--rate', '0'], /--rate/],
    [['--mode', 'live-fanout', '-x', '5', '--watched', '6'], /--watched/],
    [['--mode', 'live-fanout', '--viewers', '0'], /--viewers/],
    [['--mode', 'live-fanout', '--influx-url', 'http://127.0.0.1:8086'], /--postgres-url/],
  ])('when given %j, then it fails with a message naming the option', (argv, pattern) => {
    expect(() => parsePerftestOptions(argv)).toThrow(OptionsError);
    expect(() => parsePerftestOptions(argv)).toThrow(pattern);
  });
});
