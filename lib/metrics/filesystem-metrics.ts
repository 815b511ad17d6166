// Free and total bytes of the file systems holding a process's data (journal, dead letters), for
// the DiskNearlyFull alert: there is no node exporter here, so each process reports its own disks.
import { statfs } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';

/** em_filesystem_avail_bytes{path} and em_filesystem_size_bytes{path}, read at scrape time. */
export function registerFilesystemMetrics(registry: Registry, paths: readonly string[]): void {
  const read = async (path: string) => statfs(path).catch(() => undefined); // a missing path: no sample
  new Gauge({
    name: 'em_filesystem_avail_bytes',
    help: 'Bytes available to this process on the file system holding path',
    labelNames: ['path'],
    registers: [registry],
    async collect() {
      for (const path of paths) {
        const stats = await read(path);
        if (stats) this.set({ path }, stats.bavail * stats.bsize);
      }
    },
  });
  new Gauge({
    name: 'em_filesystem_size_bytes',
    help: 'Size in bytes of the file system holding path',
    labelNames: ['path'],
    registers: [registry],
    async collect() {
      for (const path of paths) {
        const stats = await read(path);
        if (stats) this.set({ path }, stats.blocks * stats.bsize);
      }
    },
  });
}
