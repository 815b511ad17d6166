// Once `npm start` has printed what runs where, a service that exits is started again (its log says
// why it went) and the others carry on: the platform stops only on Ctrl-C, or when one keeps
// failing (lib/process/supervised-service.ts says when that is).
import { join } from 'node:path';
import { spawnService, type SpawnedService } from '../lib/process/spawn-service.js';
import { superviseService, type SupervisedService } from '../lib/process/supervised-service.js';
import type { ServiceSpec } from './platform-services.js';

export interface PlatformSupervision {
  readonly logDir: string;
  /** True once the platform is stopping: nothing is started again. */
  readonly stopping: () => boolean;
  /** A service was given up on: the platform stops (exit 1). */
  readonly giveUp: () => void;
}

/** Supervises each running service with the spec it was started from; says on the console what happens. */
export function supervisePlatform(running: readonly SpawnedService[], specs: readonly ServiceSpec[], supervision: PlatformSupervision): SupervisedService[] {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  return running.map((service) => {
    const logFile = join(supervision.logDir, `${service.name}.log`);
    const spec = byName.get(service.name);
    if (spec === undefined) throw new Error(`no start spec for ${service.name}`);
    return superviseService(service, {
      restart: () => spawnService({ ...spec, logFile }),
      halted: supervision.stopping,
      onExit: ({ code, signal, restartInMs }) =>
        console.error(
          restartInMs === undefined
            ? `${service.name} stopped by itself (code 0); not started again; see ${logFile}`
            : `${service.name} exited (code ${code}, signal ${signal}); starting it again in ${restartInMs} ms; see ${logFile}`,
        ),
      onRestarted: (again) => console.log(`${service.name} is running again (pid ${again.child.pid})`),
      onGiveUp: (reason) => {
        if (supervision.stopping()) return;
        console.error(`${service.name} ${reason}; see ${logFile}`);
        supervision.giveUp();
      },
    });
  });
}
