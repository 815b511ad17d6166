// The dead-letter budget variables of the two processes that keep a store.
import { describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../../../broker/config.js';
import { loadWriteConfig } from '../../../services/write/config.js';
import { ConfigError } from '../../config/load-config.js';

const brokerBase = { EM_BROKER_AUTH: 'disabled' };

describe('dead-letter budget config', () => {
  it('when nothing is set, then both stores get 256 MiB and a 64 KiB payload prefix', () => {
    const budget = { maxBytes: 256 * 1024 * 1024, maxPayloadBytes: 64 * 1024 };
    expect(loadBrokerConfig(brokerBase).deadLetterBudget).toEqual(budget);
    expect(loadWriteConfig({}).deadLetterBudget).toEqual(budget);
  });

  it('when set, then the variables are read', () => {
    expect(loadBrokerConfig({ ...brokerBase, EM_BROKER_DEAD_LETTER_MAX_BYTES: '8388608', EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES: '4096' }).deadLetterBudget).toEqual({
      maxBytes: 8_388_608,
      maxPayloadBytes: 4096,
    });
    expect(loadWriteConfig({ EM_WRITE_DEAD_LETTER_MAX_BYTES: '2097152' }).deadLetterBudget.maxBytes).toBe(2_097_152);
  });

  it.each([
    ['a budget under 1 MiB', { EM_BROKER_DEAD_LETTER_MAX_BYTES: '1000' }, /EM_BROKER_DEAD_LETTER_MAX_BYTES/],
    ['a budget that is not a number', { EM_BROKER_DEAD_LETTER_MAX_BYTES: '256MiB' }, /EM_BROKER_DEAD_LETTER_MAX_BYTES/],
    ['a prefix under 1 KiB', { EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES: '10' }, /EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES/],
    [
      'a prefix over 1/16 of the budget',
      { EM_BROKER_DEAD_LETTER_MAX_BYTES: '1048576', EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES: '131072' },
      /EM_BROKER_DEAD_LETTER_MAX_PAYLOAD_BYTES: must be at most 1\/16 of EM_BROKER_DEAD_LETTER_MAX_BYTES/,
    ],
  ])('when the broker is given %s, then loading fails naming the variable', (_, env, message) => {
    expect(() => loadBrokerConfig({ ...brokerBase, ...env })).toThrow(ConfigError);
    expect(() => loadBrokerConfig({ ...brokerBase, ...env })).toThrow(message);
  });

  it('when the write service is given a prefix over 1/16 of its budget, then loading fails naming both variables', () => {
    const load = (): unknown => loadWriteConfig({ EM_WRITE_DEAD_LETTER_MAX_BYTES: '1048576', EM_WRITE_DEAD_LETTER_MAX_PAYLOAD_BYTES: '1048576' });
    expect(load).toThrow(/EM_WRITE_DEAD_LETTER_MAX_PAYLOAD_BYTES: must be at most 1\/16 of EM_WRITE_DEAD_LETTER_MAX_BYTES/);
  });
});
