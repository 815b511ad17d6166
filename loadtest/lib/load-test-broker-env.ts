// What every load script adds to the broker's environment. The broker's per-agent limits
// (broker/README.md, "Per-agent limits") are set for real agents, a container a minute each with
// up to 30 devices; load generators run few agents thousands of times faster, with up to 1000
// readings (`socket-0` … `socket-999`) a message, which the limits would hold back or refuse, and
// the benchmarks would then measure that. Raised rather than disabled: each publish still pays for
// the checks, as in production, and none is ever held or refused.
export const LOAD_TEST_BROKER_ENV: Readonly<Record<string, string>> = Object.freeze({
  // Past what the whole broker takes (about 30,000 publishes a second on this machine).
  EM_BROKER_AGENT_PUBLISHES_PER_S: '1000000',
  EM_BROKER_AGENT_PUBLISH_BURST: '1000000',
  // Past what the whole broker takes in readings (about 400,000 a second).
  EM_BROKER_AGENT_READINGS_PER_S: '1000000000',
  EM_BROKER_AGENT_READINGS_BURST: '1000000000',
  // The most readings a generated message carries (--readings), each its own device id.
  EM_BROKER_MAX_DEVICES_PER_AGENT: '1000',
});
