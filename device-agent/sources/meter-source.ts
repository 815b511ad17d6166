// The port between the agent and whatever it measures: simulated loads, or smart plugs over HTTP.
import type { Measurement } from '../../proto/container.js';

export interface MeterSource {
  /** Short, stable name for logs and metric labels: `simulated`, `shelly`, `tasmota`. */
  readonly name: string;
  /**
   * One poll of all devices. `nowMs` is the read time the measurements are stamped with.
   * A device that cannot be read yields no measurements for this poll; read() itself only
   * rejects on a programming error.
   */
  read(nowMs: number): Promise<Measurement[]>;
}
