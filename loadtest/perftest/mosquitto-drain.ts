// The Mosquitto target's persistent-session QoS1 subscriber, in a process of its own: in the
// generator's process its receiving cost the generator about a fifth of a core at 13k msgs/s,
// which slowed the load offered to Mosquitto but not the load offered to our broker (whose
// "stored" is a journal counter). Parent → child: "count"; child → parent: { ready } once
// subscribed, then { received } per request.
import { connectAsync } from 'mqtt';

const url = process.argv[2];
if (url === undefined || process.send === undefined) throw new Error('usage: fork(mosquitto-drain.ts, [brokerUrl]) with an IPC channel');
const send = process.send.bind(process);

const subscriber = await connectAsync(url, { clientId: 'perftest-drain', clean: false, reconnectPeriod: 0 });
let received = 0;
subscriber.on('message', () => received++);
await subscriber.subscribeAsync('em/v1/+/+/readings', { qos: 1 });
process.on('message', (message) => {
  if (message === 'count') send({ received });
});
process.on('disconnect', () => {
  void subscriber.endAsync().finally(() => process.exit(0));
});
send({ ready: true });
