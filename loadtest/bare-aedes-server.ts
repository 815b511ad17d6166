// Bare Aedes 1.2 on a TCP port, no hooks, no guard, no journal: the baseline our broker is compared
// with in the connection storm (npm run perftest -- --mode connection-storm). Logs one JSON line
// when listening (like our services, so spawnService can start it) and serves the Node heap figures
// as Prometheus text on a second port, the way our broker's /metrics does.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

const aedes = await Aedes.createBroker();
const mqtt = createServer((socket) => aedes.handle(socket));
await new Promise<void>((resolve) => mqtt.listen(0, '127.0.0.1', resolve));
const metrics = createHttpServer((_req, res) => {
  const memory = process.memoryUsage();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`nodejs_heap_size_used_bytes ${memory.heapUsed}\nnodejs_heap_size_total_bytes ${memory.heapTotal}\nnodejs_external_memory_bytes ${memory.external}\naedes_connected_clients ${aedes.connectedClients}\n`);
});
await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
console.log(JSON.stringify({ msg: 'bare aedes listening', mqttPort: (mqtt.address() as AddressInfo).port, metricsPort: (metrics.address() as AddressInfo).port }));

const stop = (): void => {
  metrics.close();
  mqtt.close();
  aedes.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
