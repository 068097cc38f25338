import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { FoldOp } from './change-log';
import { openingPragmas, takeLock, writeSql } from './live-state-file';

/** How long start-up and close wait for the thread before they give up on it. */
const handshakeTimeoutMs = 30_000;

/**
 * The thread's code, as text: it has to run under the test runner too, which cannot load a
 * TypeScript file into a worker. It knows nothing of records: it opens the file and runs the ops of
 * each fold in one transaction with the generation folded, so neither the fold's writes nor the
 * checkpoints' fsync ever hold up the event loop. It leaves the checkpoints to SQLite (every 1,000
 * pages of WAL): a checkpoint after each fold wrote the same hot pages (chats, the ends of their
 * transcripts) into the database five times a second, with two fsyncs each, for 3-6 % more CPU a
 * message (bench/results/chat-service-cpu.md).
 */
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const state = new Int32Array(workerData.signal);
const answer = (message) => {
  workerData.answers.postMessage(message);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
};
let db;
let fold;
let foldedThrough = 0;
let failure = null;
try {
  db = new Database(workerData.file, { timeout: 0 });
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  db.exec(workerData.takeLock);
  const statements = {};
  for (const [name, sql] of Object.entries(workerData.sql)) statements[name] = db.prepare(sql);
  fold = db.transaction((flat, generation) => {
    for (let at = 0; at < flat.length; at += 2 + flat[at + 1])
      statements[flat[at]].run(...flat.slice(at + 2, at + 2 + flat[at + 1]));
    statements.setFolded.run(generation);
  });
  answer({ opened: true });
} catch (error) {
  if (db !== undefined) db.close();
  answer({ opened: false, message: error.message });
}
parentPort.on('message', (message) => {
  if (message.type === 'fold') {
    if (failure !== null) return;
    try {
      fold(message.flat, message.generation);
      foldedThrough = message.generation;
      parentPort.postMessage({ type: 'folded', generation: message.generation });
    } catch (error) {
      failure = error.message;
      parentPort.postMessage({ type: 'failed', message: failure });
    }
  } else if (message.type === 'close') {
    if (db.open) db.close();
    answer({ foldedThrough, failure });
    parentPort.close();
  }
});
`;

/** What the thread answers when it has closed the file. */
export interface FoldThreadClosed {
  /** The newest generation whose fold committed. */
  foldedThrough: number;
  /** Why folds stopped, if one failed: the ones after it were not run. */
  failure: string | null;
}

/**
 * The thread that owns the live state's database while the service runs, with its own connection
 * (the only one: the file stays locked for this process). Opening and closing wait for it
 * (start-up and shut-down are synchronous); folds are sent and their outcome comes back later.
 */
export class FoldThread {
  private readonly worker: Worker;
  private readonly answers: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private closed: FoldThreadClosed | null = null;
  /** The last fold the thread said it committed, for when it dies before it can say more. */
  private foldedThrough = 0;
  /** Why the thread ended on its own, if it did. */
  private died: string | null = null;

  /** Opens the file in the thread; throws with the thread's reason when it cannot. */
  constructor(
    file: string,
    handlers: { folded: (generation: number) => void; failed: (message: string) => void },
  ) {
    const channel = new MessageChannel();
    this.answers = channel.port1;
    this.worker = new Worker(threadSource, {
      eval: true,
      workerData: {
        file,
        pragmas: openingPragmas,
        takeLock,
        sql: writeSql,
        sqlitePath: require.resolve('better-sqlite3'),
        signal: this.state.buffer,
        answers: channel.port2,
      },
      transferList: [channel.port2],
    });
    this.worker.unref();
    this.worker.on('message', (message: { type: string; generation: number; message: string }) => {
      // Told after close: close's own answer has said it all.
      if (this.closed !== null) return;
      if (message.type === 'folded') {
        this.foldedThrough = message.generation;
        handlers.folded(message.generation);
      } else handlers.failed(message.message);
    });
    // An error the thread did not catch ends it: later folds wait in the log for the next start.
    this.worker.on('error', (error) => {
      this.died ??= error.message;
      if (this.closed === null) handlers.failed(error.message);
    });
    this.worker.on('exit', () => {
      this.died ??= 'the fold thread ended';
    });
    const opened = this.await<{ opened: boolean; message?: string }>();
    if (!opened.opened) {
      void this.worker.terminate();
      throw new Error(opened.message ?? 'the fold thread did not start');
    }
  }

  fold(ops: readonly FoldOp[], generation: number): void {
    // One flat array (name, count, parameters …): copying it to the thread costs a third of
    // copying an array per op.
    const flat: FoldOp[number][] = [];
    for (const [name, ...parameters] of ops) flat.push(name, parameters.length, ...parameters);
    this.worker.postMessage({ type: 'fold', flat, generation });
  }

  /** Waits for every fold sent so far, then closes the file. */
  close(): FoldThreadClosed {
    if (this.closed !== null) return this.closed;
    if (this.died !== null) {
      this.closed = { foldedThrough: this.foldedThrough, failure: this.died };
    } else {
      this.worker.postMessage({ type: 'close' });
      this.closed = this.await<FoldThreadClosed>();
    }
    this.answers.close();
    return this.closed;
  }

  /** Blocks until the thread answers (it runs on its own, so the wait is short). */
  private await<T>(): T {
    const outcome = Atomics.wait(this.state, 0, 0, handshakeTimeoutMs);
    Atomics.store(this.state, 0, 0);
    const received = receiveMessageOnPort(this.answers);
    if (outcome === 'timed-out' || received === undefined)
      throw new Error('the fold thread did not answer');
    return received.message as T;
  }
}
