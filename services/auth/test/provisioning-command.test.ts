import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { agentEnvironment, provisioningCommand, shellQuote } from '../domain/provisioning-command.js';

const hostile = {
  agentId: 'a-1',
  householdId: "h'; rm -rf / #",
  brokerUrl: 'mqtt://broker.example:1883/$(reboot)',
  username: 'a-1',
  password: "`id` $HOME \"quoted\" it's\nnewline",
  agentDir: '/opt/energy monitor',
};

describe('provisioning command', () => {
  it('when a value contains a single quote, then it is closed, escaped and reopened', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });

  it('when sh parses the quoted values, then each comes back byte for byte and nothing runs', () => {
    for (const [, value] of agentEnvironment(hostile)) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`]).toString()).toBe(value);
    }
  });

  it('when the whole command runs with a stand-in for npx, then the agent sees exactly the EM_AGENT_* values', () => {
    const command = provisioningCommand({ ...hostile, agentDir: '/' }).replace('npx tsx device-agent/main.ts', 'env');
    const seen = execFileSync('sh', ['-c', command], { env: { PATH: process.env.PATH } }).toString();
    for (const [name, value] of agentEnvironment(hostile)) expect(seen).toContain(`${name}=${value}`);
  });

  it('when built, then it names every variable the agent reads for its credentials', () => {
    const command = provisioningCommand(hostile);
    for (const name of ['EM_AGENT_ID', 'EM_AGENT_HOUSEHOLD_ID', 'EM_AGENT_BROKER_URL', 'EM_AGENT_USERNAME', 'EM_AGENT_PASSWORD']) expect(command).toContain(`${name}='`);
    expect(command.startsWith("cd '/opt/energy monitor' && env ")).toBe(true);
  });
});
