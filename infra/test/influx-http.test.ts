import { describe, expect, it } from 'vitest';
import { parseInfluxQueryResponse, parseInfluxStatementResults, quoteInfluxDatabaseName } from '../influx-http.js';
import { renderInfluxdbConfig } from '../influxdb-config.js';

describe('parseInfluxQueryResponse', () => {
  it('when statements return series, then all series are returned with defaults filled in', () => {
    const body = JSON.stringify({
      results: [
        { statement_id: 0, series: [{ name: 'power', columns: ['time', 'watts'], values: [[1, 2.5]] }] },
        { statement_id: 1, series: [{ name: 'power', tags: { device: 'd1' }, columns: ['time', 'count'] }] },
        { statement_id: 2 },
      ],
    });
    expect(parseInfluxQueryResponse(body, 'q')).toEqual([
      { name: 'power', tags: {}, columns: ['time', 'watts'], values: [[1, 2.5]] },
      { name: 'power', tags: { device: 'd1' }, columns: ['time', 'count'], values: [] },
    ]);
  });

  it('when the request fails as a whole, then throws its error', () => {
    expect(() => parseInfluxQueryResponse('{"error":"database not found: \\"x\\""}', 'q')).toThrow(/database not found/);
  });

  it('when one statement fails, then throws that statement error', () => {
    const body = JSON.stringify({ results: [{ statement_id: 0 }, { statement_id: 1, error: 'bad field' }] });
    expect(() => parseInfluxQueryResponse(body, 'q')).toThrow(/bad field/);
  });

  it('when the body is not JSON, then throws with the start of the body', () => {
    expect(() => parseInfluxQueryResponse('<html>proxy error', 'q')).toThrow(/not JSON: <html>/);
  });
});

describe('parseInfluxStatementResults', () => {
  const series = (device: string) => ({ name: 'reading', tags: { device }, columns: ['time', 'mean'], values: [[1, 2]] });

  it('when several statements answer, then each gets its own list in statement order, empty where nothing matched', () => {
    const body = JSON.stringify({ results: [{ statement_id: 0, series: [series('a'), series('b')] }, { statement_id: 1 }, { statement_id: 2, series: [series('c')] }] });
    expect(parseInfluxStatementResults(body, 'q').map((list) => list.map((s) => s.tags['device']))).toEqual([['a', 'b'], [], ['c']]);
  });

  it('when results arrive out of order, then statement_id puts them back; an id out of range keeps its position', () => {
    const body = JSON.stringify({ results: [{ statement_id: 1, series: [series('second')] }, { statement_id: 0, series: [series('first')] }] });
    expect(parseInfluxStatementResults(body, 'q').map((list) => list.map((s) => s.tags['device']))).toEqual([['first'], ['second']]);
    const odd = JSON.stringify({ results: [{ statement_id: 7, series: [series('x')] }] });
    expect(parseInfluxStatementResults(odd, 'q').map((list) => list.map((s) => s.tags['device']))).toEqual([['x']]);
  });
});

describe('quoteInfluxDatabaseName', () => {
  it('when the name is plain, then it is double-quoted', () => {
    expect(quoteInfluxDatabaseName('infra_123_ab-cd')).toBe('"infra_123_ab-cd"');
  });

  it('when the name could break out of the identifier, then refuses it', () => {
    expect(() => quoteInfluxDatabaseName('x"; DROP DATABASE y')).toThrow(/invalid InfluxDB database name/);
  });
});

describe('renderInfluxdbConfig', () => {
  it('when rendered, then both ports are on loopback and all state is inside the folder', () => {
    const conf = renderInfluxdbConfig({ dataDir: '/tmp/x', httpPort: 18086, rpcPort: 18088 });
    expect(conf).toContain('bind-address = "127.0.0.1:18088"');
    expect(conf).toContain('bind-address = "127.0.0.1:18086"');
    expect(conf).toContain('reporting-disabled = true');
    for (const dir of ['meta', 'data', 'wal']) expect(conf).toContain(`"/tmp/x/${dir}"`);
    expect(conf).not.toContain('/var/lib/influxdb');
  });
});
