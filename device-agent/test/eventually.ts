// Waits on real time for a condition, failing with a description of the state when it never holds.
import { waitFor } from '../wait-for.js';

export async function eventually(what: string, condition: () => boolean, state: () => unknown, timeoutMs = 5000): Promise<void> {
  if (!(await waitFor(condition, timeoutMs, 10))) {
    throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}; state: ${JSON.stringify(state())}`);
  }
}
