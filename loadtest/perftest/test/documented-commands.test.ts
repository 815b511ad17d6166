// Every `npm run perftest -- …` command line the docs show is one the tool accepts: a reader who
// copies it gets a run, not a usage error. `--mode a|b|c` stands for each mode, `<mode>` for any.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES, parsePerftestOptions } from '../options.js';

const repo = new URL('../../..', import.meta.url).pathname;
const docs = execFileSync('git', ['ls-files', '*.md'], { cwd: repo, encoding: 'utf8' }).split('\n').filter((p) => p !== '');

/** The argument lists of one documented command: its `--mode a|b` and `<mode>` spelled out. */
function argumentLists(command: string): string[][] {
  const words = command.replace(/\[options\]/, '').trim().split(/\s+/);
  const modeAt = words.indexOf('--mode') + 1;
  const modes = modeAt === 0 ? [undefined] : words[modeAt] === '<mode>' ? [...MODES] : (words[modeAt] ?? '').split('|');
  return modes.map((mode) => words.map((word, i) => (i === modeAt && mode !== undefined ? mode : word)));
}

/** The commands of one page: inline ones up to their closing backtick (on this line or the next), in code blocks up to the line's end or comment. */
function commandsOf(text: string): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => {
    const at = line.indexOf('npm run perftest -- ');
    if (at < 0) return [];
    const rest = line.slice(at + 'npm run perftest -- '.length);
    const inline = (line.slice(0, at).match(/`/g) ?? []).length % 2 === 1;
    if (!inline) return [rest.replace(/\s+#.*$/, '')];
    return [(rest.includes('`') ? rest : `${rest} ${lines[i + 1] ?? ''}`).split('`')[0] ?? ''];
  });
}

const commands = docs.flatMap((path) => commandsOf(readFileSync(join(repo, path), 'utf8')).map((command): [string, string] => [path, command]));

describe('perftest commands in the docs', () => {
  it('finds them', () => {
    expect(commands.length).toBeGreaterThan(10);
  });

  it.each(commands)('%s: npm run perftest -- %s is accepted', (_path, command) => {
    for (const argv of argumentLists(command)) expect(() => parsePerftestOptions(argv), argv.join(' ')).not.toThrow();
  });
});
