import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualTime } from '../../shared/manual-time';
import type { Logger } from '../../shared/logger';
import { ResponseLibrary } from './response-library';
import { ResponsesFileError } from './responses-file-error';
import { watchFile, type WatchFile } from './watch-file';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'responses-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** A watcher the test fires by hand, as fs.watch would on a save. */
function manualWatcher() {
  const watcher = { fire: () => {}, closed: false, watching: [] as string[] };
  const watch: WatchFile = (file, onChange) => {
    watcher.watching.push(file);
    watcher.fire = onChange;
    return { close: () => void (watcher.closed = true) };
  };
  return { watcher, watch };
}

function recordingLogger() {
  const errors: Record<string, unknown>[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (data) => void errors.push({ ...data }),
  };
  return { logger, errors };
}

function libraryFor(text: string, debounceMs = 300) {
  const file = join(folder, 'sales.txt');
  writeFileSync(file, text);
  const time = new ManualTime();
  const { watcher, watch } = manualWatcher();
  const { logger, errors } = recordingLogger();
  const library = new ResponseLibrary({ file, timers: time, logger, watchFile: watch, debounceMs });
  return { file, time, watcher, errors, library };
}

describe('A responses file while the service runs', () => {
  test('when it is constructed, then the file is read', () => {
    const { library } = libraryFor('Hello: Hi!');
    expect(library.tree).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
  });

  test('when the file is invalid or missing at start-up, then construction fails naming the file', () => {
    const file = join(folder, 'sales.txt');
    writeFileSync(file, 'Greetings/\n  Hello: Hi!\n  Empty/\n');
    const time = new ManualTime();
    const options = { file, timers: time, logger: recordingLogger().logger };
    expect(() => new ResponseLibrary(options)).toThrow(
      new ResponsesFileError(file, 3, 'folder "Empty" is empty: indent its items under it'),
    );
    expect(() => new ResponseLibrary(options)).toThrow(`${file}:3: folder "Empty" is empty`);
    const missing = join(folder, 'missing.txt');
    expect(() => new ResponseLibrary({ ...options, file: missing })).toThrow(
      `${missing}: cannot be read`,
    );
  });

  test('when the file changes, then it is read again once the changes settle', () => {
    const { file, time, watcher, library } = libraryFor('Hello: Hi!');
    library.watch();
    expect(watcher.watching).toEqual([file]);
    writeFileSync(file, 'Hello: Hi there!');
    watcher.fire();
    time.advance(200);
    writeFileSync(file, 'Hello: Hi there!\nBye: Goodbye!');
    watcher.fire();
    time.advance(299);
    expect(library.tree).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
    time.advance(1);
    expect(library.tree).toEqual([
      { Name: 'Hello', Text: 'Hi there!' },
      { Name: 'Bye', Text: 'Goodbye!' },
    ]);
    library.stop();
  });

  test('when the changed file is invalid, then the error is logged and the last good tree stays', () => {
    const { file, time, watcher, errors, library } = libraryFor('Hello: Hi!');
    library.watch();
    writeFileSync(file, 'Hello: Hi!\nOops\n');
    watcher.fire();
    time.advance(300);
    expect(library.tree).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
    expect(errors).toEqual([
      {
        file,
        line: 2,
        reason: 'expected a folder ("Name/") or a response ("Name: text")',
      },
    ]);
    rmSync(file);
    watcher.fire();
    time.advance(300);
    expect(library.tree).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
    expect(errors[1]).toMatchObject({ file, line: null, reason: expect.stringMatching(/^cannot/) });
    writeFileSync(file, 'Hello: Fixed');
    watcher.fire();
    time.advance(300);
    expect(library.tree).toEqual([{ Name: 'Hello', Text: 'Fixed' }]);
    library.stop();
  });

  test('when it stops, then the watcher is closed and no reload is left waiting', () => {
    const { file, time, watcher, library } = libraryFor('Hello: Hi!');
    library.watch();
    writeFileSync(file, 'Hello: Changed');
    watcher.fire();
    library.stop();
    expect(watcher.closed).toBe(true);
    expect(time.pendingCount).toBe(0);
    expect(library.tree).toEqual([{ Name: 'Hello', Text: 'Hi!' }]);
  });
});

describe('The fs.watch watcher', () => {
  test('when the watched file is written, then it reports a change', async () => {
    const file = join(folder, 'sales.txt');
    writeFileSync(file, 'Hello: Hi!');
    const changed = new Promise<void>((resolve, reject) => {
      const watcher = watchFile(
        file,
        () => {
          watcher.close();
          resolve();
        },
        reject,
      );
      writeFileSync(file, 'Hello: Hi there!');
    });
    await expect(changed).resolves.toBeUndefined();
  });
});
