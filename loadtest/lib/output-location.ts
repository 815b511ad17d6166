// Checks, before a long run, that its results can be written: creates the folder and writes (then
// removes) a probe file, so a bad --results-dir or --report ends the tool at once with a message
// instead of after the run, results lost. Folders are created one level at a time, never with
// mkdir's `recursive`: in Node 20 that loops forever where mkdir answers ENOENT under an existing
// parent (/proc/x).
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export class OutputLocationError extends Error {
  override readonly name = 'OutputLocationError';
}

const WHY: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file',
  ENOENT: 'it cannot be created there',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return String(error);
  return WHY[code] === undefined ? code : `${WHY[code]}, ${code}`;
}

const fsError = (code: string): Error => Object.assign(new Error(code), { code });

/** mkdir -p, one level at a time; each level is tried at most twice. */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw fsError('ENOTDIR');
    }
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
  }
  await makeFolder(dirname(dir));
  await mkdir(dir);
}

async function writableFolder(dir: string): Promise<void> {
  await makeFolder(dir);
  const probe = join(dir, `.write-probe-${process.pid}`);
  await (await open(probe, 'w')).close();
  await unlink(probe);
}

/** Creates `dir` if needed and proves a file can be written in it; returns its absolute path. */
export async function prepareOutputFolder(dir: string, option: string): Promise<string> {
  const absolute = resolve(dir);
  try {
    await writableFolder(absolute);
    return absolute;
  } catch (error) {
    throw new OutputLocationError(`${option} ${dir}: cannot write results there (${reason(error)})`);
  }
}

/** Creates the folder of `file` if needed and proves `file` can be written (it is left as it was). */
export async function prepareOutputFile(file: string, option: string): Promise<string> {
  const absolute = resolve(file);
  try {
    await writableFolder(dirname(absolute));
  } catch (error) {
    throw new OutputLocationError(`${option} ${file}: cannot write in its folder ${dirname(absolute)} (${reason(error)})`);
  }
  try {
    const existing = await stat(absolute).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    if (existing?.isDirectory() === true) throw fsError('EISDIR');
    await (await open(absolute, 'a')).close();
    if (existing === undefined) await unlink(absolute);
    return absolute;
  } catch (error) {
    throw new OutputLocationError(`${option} ${file}: cannot write it (${reason(error)})`);
  }
}
