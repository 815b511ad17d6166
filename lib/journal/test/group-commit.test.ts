import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../group-commit.js';

/** A commit the test finishes by hand (its result for an item n is n * 10), and a scheduler it runs by hand. */
function harness() {
  const commits: { group: readonly number[]; finish: (err?: Error) => void }[] = [];
  const scheduled: (() => void)[] = [];
  const groupCommit = createGroupCommit<number, number>(
    (group) =>
      new Promise<number[]>((resolve, reject) => {
        commits.push({ group, finish: (err) => (err === undefined ? resolve(group.map((n) => n * 10)) : reject(err)) });
      }),
    { schedule: (start) => scheduled.push(start) },
  );
  const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return { groupCommit, commits, scheduled, flush };
}

describe('group commit', () => {
  it('when items arrive before the scheduled start, then they go into one commit and each gets its own result', async () => {
    const { groupCommit, commits, scheduled, flush } = harness();
    const done = [1, 2, 3].map((n) => groupCommit.add(n));
    expect(scheduled).toHaveLength(1);
    expect(commits).toHaveLength(0);
    scheduled[0]?.();
    await flush();
    expect(commits.map((c) => c.group)).toEqual([[1, 2, 3]]);
    commits[0]?.finish();
    await expect(Promise.all(done)).resolves.toEqual([10, 20, 30]);
  });

  it('when items arrive while a commit is under way, then they wait and all go into the next one', async () => {
    const { groupCommit, commits, scheduled, flush } = harness();
    const first = groupCommit.add(1);
    scheduled[0]?.();
    await flush();
    let laterSettled = false;
    const later = [2, 3, 4].map((n) => groupCommit.add(n).finally(() => (laterSettled = true)));
    expect(scheduled).toHaveLength(1); // no second start while one runs
    await flush();
    expect(commits).toHaveLength(1);
    commits[0]?.finish();
    await first;
    await flush();
    expect(laterSettled).toBe(false);
    expect(commits.map((c) => c.group)).toEqual([[1], [2, 3, 4]]);
    commits[1]?.finish();
    await Promise.all(later);
  });

  it('when a commit fails, then only its own items are rejected and the next group still commits', async () => {
    const { groupCommit, commits, scheduled, flush } = harness();
    const failed = groupCommit.add(1);
    scheduled[0]?.();
    await flush();
    const next = groupCommit.add(2);
    commits[0]?.finish(new Error('disk full'));
    await expect(failed).rejects.toThrow('disk full');
    await flush();
    expect(commits[1]?.group).toEqual([2]);
    commits[1]?.finish();
    await expect(next).resolves.toBe(20);
  });

  it('when everything is committed, then the next item schedules a new start', async () => {
    const { groupCommit, commits, scheduled, flush } = harness();
    const first = groupCommit.add(1);
    scheduled[0]?.();
    await flush();
    commits[0]?.finish();
    await first;
    await flush();
    const second = groupCommit.add(2);
    expect(scheduled).toHaveLength(2);
    scheduled[1]?.();
    await flush();
    commits[1]?.finish();
    await second;
    expect(commits.map((c) => c.group)).toEqual([[1], [2]]);
  });

  it('when a commit returns a result count other than its group size, then its items are rejected', async () => {
    const groupCommit = createGroupCommit<number, number>(() => Promise.resolve([1]));
    await expect(Promise.all([groupCommit.add(1), groupCommit.add(2)])).rejects.toThrow('1 results for 2 items');
  });
});
