import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FoldThread } from './fold-thread';
import { SqliteLiveState } from './sqlite-live-state';

const folder = mkdtempSync(join(tmpdir(), 'fold-thread-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function preparedFile(name: string): string {
  const file = join(folder, name);
  new SqliteLiveState(file, () => undefined).close();
  return file;
}

const entryJson = JSON.stringify({ at: 1, from: 'Customer', name: 'Ann', message: 'hi' });

describe('The fold thread', () => {
  test('when a fold fails, then it is reported, no later fold runs, and close says how far it got', async () => {
    const file = preparedFile('failing.sqlite');
    const failures: string[] = [];
    const folded: number[] = [];
    const thread = new FoldThread(file, {
      folded: (generation) => folded.push(generation),
      failed: (message) => failures.push(message),
    });
    thread.fold([['putEntry', 'a', 0, entryJson, null]], 1);
    // A STRICT table refuses text where the position's integer goes.
    thread.fold([['putEntry', 'a', 'second', entryJson, null]], 2);
    thread.fold([['putEntry', 'a', 2, entryJson, null]], 3);
    const deadline = Date.now() + 10_000;
    while (failures.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(folded).toEqual([1]);
    expect(failures).toEqual([expect.stringMatching(/INTEGER/)]);
    expect(thread.close()).toEqual({ foldedThrough: 1, failure: expect.stringMatching(/INTEGER/) });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT position FROM transcript ORDER BY position').all()).toEqual([
      { position: 0 },
    ]);
    expect(db.prepare('SELECT generation FROM folded').get()).toEqual({ generation: 1 });
    db.close();
  });

  test('when the file is held by another connection, then starting the thread fails with the reason', () => {
    const file = preparedFile('held.sqlite');
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN IMMEDIATE; COMMIT;');
    expect(
      () => new FoldThread(file, { folded: () => undefined, failed: () => undefined }),
    ).toThrow(/locked|busy/i);
    holder.close();
  });
});
