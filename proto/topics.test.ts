import { describe, expect, it } from 'vitest';
import { householdFilter, parseAgentTopic, readingsTopic, statusTopic } from './topics.js';

describe('topic scheme v1', () => {
  it('when a readings or status topic is built, then parsing it gives the same household, agent and kind', () => {
    expect(parseAgentTopic(readingsTopic('house_1', 'pi-A'))).toEqual({ householdId: 'house_1', agentId: 'pi-A', kind: 'readings' });
    expect(parseAgentTopic(statusTopic('h', 'a'))).toEqual({ householdId: 'h', agentId: 'a', kind: 'status' });
    expect(parseAgentTopic(`em/v1/${'h'.repeat(64)}/${'a'.repeat(64)}/readings`)?.householdId).toHaveLength(64);
  });

  it.each([
    ['another prefix', 'em/v2/h/a/readings'],
    ['a prefix that only starts the same', 'em/v1x/h/a/readings'],
    ['a level too many', 'em/v1/h/a/readings/x'],
    ['a level too few', 'em/v1/h/readings'],
    ['a trailing separator', 'em/v1/h/a/readings/'],
    ['an empty id', 'em/v1//a/readings'],
    ['an id of 65 characters', `em/v1/${'h'.repeat(65)}/a/readings`],
    ['a wildcard in an id', 'em/v1/+/a/readings'],
    ['a space in an id', 'em/v1/h 1/a/readings'],
    ['a non-ASCII id', 'em/v1/hé/a/readings'],
    ['an unknown kind', 'em/v1/h/a/commands'],
    ['a kind that only starts the same', 'em/v1/h/a/readingsx'],
    ['a newline after the kind', 'em/v1/h/a/readings\n'],
    ['65,535 characters', `em/v1/h/a/readings/${'x'.repeat(65_535 - 19)}`],
  ])('when the topic has %s, then it is not an agent topic', (_, topic) => {
    expect(parseAgentTopic(topic)).toBeUndefined();
  });

  it('when topics are parsed again and again, more of them than are remembered, then every answer stays right', () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 70_000; i += 1) {
        const household = `h${i}`;
        expect(parseAgentTopic(readingsTopic(household, 'a'))?.householdId).toBe(household);
        if (i % 1000 === 0) expect(parseAgentTopic(`em/v1/${household}/a/commands`)).toBeUndefined();
      }
    }
  });

  it('when an id is outside the alphabet, then building a topic refuses it', () => {
    expect(() => readingsTopic('h/1', 'a')).toThrow('householdId must match');
    expect(() => householdFilter('#')).toThrow('householdId must match');
  });
});
