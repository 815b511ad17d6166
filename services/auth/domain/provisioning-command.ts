// The copy-paste command a homeowner runs on their Raspberry Pi to install and start an agent with
// its credentials. Every value is single-quoted for POSIX sh, so nothing in it — a hostile
// household name does not even get here, but ids, URLs and secrets might one day carry `'`, `$`,
// backticks or newlines — can break out of its argument (OWASP OS Command Injection Defense).

export interface AgentProvisioning {
  readonly agentId: string;
  readonly householdId: string;
  readonly brokerUrl: string;
  readonly username: string;
  readonly password: string;
  /** Where the repository is checked out on the Pi (device-agent/README.md, "Running it on a Pi"). */
  readonly agentDir: string;
}

/** POSIX single-quoting: 'it'\''s' — inside single quotes no character is special except `'` itself. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** EM_AGENT_* variables as device-agent/agent-config.ts reads them. */
export function agentEnvironment(p: AgentProvisioning): ReadonlyArray<readonly [string, string]> {
  return [
    ['EM_AGENT_ID', p.agentId],
    ['EM_AGENT_HOUSEHOLD_ID', p.householdId],
    ['EM_AGENT_BROKER_URL', p.brokerUrl],
    ['EM_AGENT_USERNAME', p.username],
    ['EM_AGENT_PASSWORD', p.password],
  ];
}

/**
 * `cd '<dir>' && env EM_AGENT_ID='…' … npx tsx device-agent/main.ts`, run in the checkout that
 * device-agent/README.md describes. `env` keeps the assignments explicit (they work the same
 * under sudo and in a systemd ExecStart line).
 */
export function provisioningCommand(p: AgentProvisioning): string {
  const assignments = agentEnvironment(p).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return `cd ${shellQuote(p.agentDir)} && env ${assignments.join(' ')} npx tsx device-agent/main.ts`;
}
