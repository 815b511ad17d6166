// Just enough of MqttClient for the outbox pump: records publishes and lets the test answer them
// (a PUBACK, or a failure). Shared by the pump's tests and the full-card fixture.
import type { MqttClient } from 'mqtt';
import { decodeContainer } from '../../proto/container.js';

export type PublishCallback = (err?: Error) => void;

export class FakeClient {
  readonly sent: { seq: number; callback: PublishCallback }[] = [];
  ended = false;
  ends = 0;
  publish(_topic: string, payload: Buffer, _opts: unknown, callback: PublishCallback): void {
    this.sent.push({ seq: decodeContainer(payload).seq, callback });
  }
  end(): void {
    this.ended = true;
    this.ends++;
  }
  ack(seq: number): void {
    this.sent.find((s) => s.seq === seq)?.callback();
  }
  asClient(): MqttClient {
    return this as unknown as MqttClient;
  }
}
