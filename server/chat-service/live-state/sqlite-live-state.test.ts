import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLogRow } from './change-log';
import { LiveStateError } from './live-state-file';
import { SqliteLiveState } from './sqlite-live-state';
import { queuedChatSnapshot } from '../../../tests/support/live-state-fixtures';

const folder = mkdtempSync(join(tmpdir(), 'sqlite-live-state-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(folder, `live-${files++}.sqlite`);

const chat = (id: string) => ({ id, snapshot: () => queuedChatSnapshot(id) });
const logRow = (id: string) => encodeLogRow([['chat', id, JSON.stringify(queuedChatSnapshot(id))]]);
const chatIds = (store: SqliteLiveState) =>
  store
    .load()
    .chats.map((restored) => restored.snapshot.id)
    .sort();
const changeFiles = (file: string) =>
  readdirSync(folder).filter((name) =>
    name.startsWith(`${file.slice(folder.length + 1)}-changes.`),
  );

describe('The SQLite live state', () => {
  test('when a process died while appending a line, then the lines before it are read back and the torn one is left out', () => {
    const file = freshFile();
    new SqliteLiveState(file, () => undefined).close();
    writeFileSync(`${file}-changes.7`, `${logRow('a')}\n${logRow('b')}\n`);
    appendFileSync(`${file}-changes.7`, logRow('c').slice(0, 40));
    const store = new SqliteLiveState(file, () => undefined);
    expect(chatIds(store)).toEqual(['a', 'b']);
    store.close();
    expect(changeFiles(file)).toEqual([]);
  });

  test('when a generation already folded is still on disk (killed before its file was removed), then it is not applied again, and later ones are numbered after it', async () => {
    const file = freshFile();
    const first = new SqliteLiveState(file, () => undefined);
    first.putChat(chat('a'));
    await first.commit();
    first.close();
    const second = new SqliteLiveState(file, () => undefined);
    second.load();
    second.dropChat('a');
    await second.commit();
    second.close();
    // A leftover of the first fold: re-applied, it would bring the dropped chat back.
    writeFileSync(`${file}-changes.1`, `${logRow('a')}\n`);
    const third = new SqliteLiveState(file, () => undefined);
    expect(chatIds(third)).toEqual([]);
    third.putChat(chat('b'));
    await third.commit();
    const afterKill = third.afterCrash();
    expect(chatIds(afterKill)).toEqual(['b']);
    afterKill.close();
  });

  test('when a second store opens a file that one holds, then it stops naming the file, and the first goes on', async () => {
    const file = freshFile();
    const holder = new SqliteLiveState(file, () => undefined);
    holder.load();
    expect(() => new SqliteLiveState(file, () => undefined)).toThrow(LiveStateError);
    expect(() => new SqliteLiveState(file, () => undefined)).toThrow(/in use by another process/);
    holder.putChat(chat('a'));
    await holder.commit();
    holder.close();
    const reopened = new SqliteLiveState(file, () => undefined);
    expect(chatIds(reopened)).toEqual(['a']);
    reopened.close();
  });

  test('when a line of the change log before its last is not a batch, then start-up stops naming the file and removes nothing', () => {
    const file = freshFile();
    new SqliteLiveState(file, () => undefined).close();
    writeFileSync(`${file}-changes.3`, `not json\n${logRow('a')}\n`);
    expect(() => new SqliteLiveState(file, () => undefined)).toThrow(
      /live-\d+\.sqlite: its change log cannot be read/,
    );
    expect(changeFiles(file)).toEqual([`${file.slice(folder.length + 1)}-changes.3`]);
  });
});
