import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JsonClient } from './http';
import { openWindow, quietBefore } from './process-metrics';
import { projectRoot } from './paths';
import type { ProcessSample } from './probe-core';
import type { ServerHandle } from './servers';
import { mib, round, sleep, summarize, type LatencySummary } from './stats';
import type { SocketVisitor } from './visitors';

export interface UploadFloodOptions {
  customerChat: ServerHandle;
  chatService: ServerHandle;
  /** The chat whose page posts the uploads; it leaves once they are answered. */
  flooder: SocketVisitor;
  /** The well-behaved visitor, who keeps writing and fetching the toolbox's texts. */
  other: SocketVisitor;
  uploads: number;
  uploadBytes: number;
  /** The other visitor's calls at least, however quick the flood. */
  minCalls: number;
  quietWaitSeconds: number;
  log: (line: string) => void;
}

export interface UploadFloodResult {
  uploads: number;
  uploadBytes: number;
  /** HTTP status of each upload: count (0: connection closed before an answer). */
  uploadStatuses: Record<string, number>;
  floodSeconds: number;
  /** The other visitor meanwhile: message:send on its socket and GET …/Toolbox/Strings. */
  other: {
    calls: number;
    all: LatencySummary;
    socketSend: LatencySummary;
    httpStrings: LatencySummary;
    /** socket: "ok" or the refusal's code; http: the status. */
    socketReplies: Record<string, number>;
    httpStatuses: Record<string, number>;
  };
  /** CustomerChat's own process (the probe inside it). */
  customerChatMemory: {
    /** After a full GC, before the flood. */
    startRssMiB: number;
    /** Largest RSS read during the flood (every 50 ms, no GC). */
    peakRssMiB: number;
    peakGrowthMiB: number;
    /** After a full GC once the uploads were answered (the stored files still in the chat). */
    afterFloodRssMiB: number;
    /** Heap and external memory kept after the flood, beyond what was kept before (full GC). */
    keptGrowthMiB: number;
    /** After the flooding chat ended, read after a full GC each second for up to 10 s. */
    afterEnd: Array<{ seconds: number; rssMiB: number; percentOfStart: number }>;
    /** The first reading within 10 % of the start (null: none in 10 s). */
    backWithin10PercentAfterSeconds: number | null;
  };
  cpuPercent: Record<string, number>;
  otherCpuPercent: number;
}

const count = (values: readonly (string | number)[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};
const kept = (sample: ProcessSample) => sample.heapUsedBytes + sample.externalBytes;

/** Posts the uploads from a process of its own; resolves with their statuses. */
function flood(url: string, token: string, uploads: number, bytes: number): Promise<number[]> {
  const client = join(projectRoot, 'bench', 'lib', 'hostile-client.mjs');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [client, 'upload', url, token, String(uploads), String(bytes)],
      { maxBuffer: 1024 * 1024, timeout: 300_000 },
      (error, stdout) => {
        if (error !== null) reject(new Error(`upload flood: ${error.message}`));
        else resolve(JSON.parse(stdout) as number[]);
      },
    );
  });
}

/**
 * Issue 13's upload flood: one chat posts its uploads all at once while another visitor's chat
 * goes on; the other visitor's round trips, CustomerChat's memory at its peak, and memory once the
 * flooding chat has ended (issue 17: back within 10 % of the start).
 */
export async function runUploadFlood(options: UploadFloodOptions): Promise<UploadFloodResult> {
  const { customerChat, chatService, flooder, other } = options;
  const token = flooder.token;
  if (token === undefined) throw new Error('the flooding visitor has no chat');
  const http = new JsonClient(customerChat.url);
  try {
    await quietBefore([customerChat, chatService], options.quietWaitSeconds);
    const start = await customerChat.sample(true);
    let peak = start.rssBytes;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sample = await customerChat.sample(false).catch(() => undefined);
        if (sample !== undefined) peak = Math.max(peak, sample.rssBytes);
        await sleep(50);
      }
    })();
    const window = await openWindow([customerChat, chatService]);
    const floodStarted = performance.now();
    let flooding = true;
    const statuses = flood(customerChat.url, token, options.uploads, options.uploadBytes).finally(
      () => {
        flooding = false;
      },
    );
    const socketMs: number[] = [];
    const httpMs: number[] = [];
    const socketReplies: string[] = [];
    const httpStatuses: number[] = [];
    for (let sent = 0; flooding || socketMs.length + httpMs.length < options.minCalls; sent++) {
      let started = performance.now();
      try {
        await other.send('still quick?', `hostile-${sent}`);
        socketReplies.push('ok');
      } catch (error) {
        socketReplies.push(/refused: (\w+)/.exec(String(error))?.[1] ?? 'failed');
      }
      socketMs.push(performance.now() - started);
      started = performance.now();
      httpStatuses.push(
        await http.get('/CustomerChat/Chat/Toolbox/Strings?culture=en').catch(() => 0),
      );
      httpMs.push(performance.now() - started);
    }
    const uploadStatuses = await statuses;
    const floodSeconds = (performance.now() - floodStarted) / 1000;
    const hold = await window.finish();
    sampling = false;
    await sampler;
    const afterFlood = await customerChat.sample(true);
    await flooder.socket.timeout(10_000).emitWithAck('chat:leave');
    flooder.close();
    const afterEnd: UploadFloodResult['customerChatMemory']['afterEnd'] = [];
    for (let seconds = 1; seconds <= 10; seconds += 1) {
      await sleep(1000);
      const sample = await customerChat.sample(true);
      const percentOfStart = round((sample.rssBytes / start.rssBytes) * 100, 1);
      afterEnd.push({ seconds, rssMiB: mib(sample.rssBytes), percentOfStart });
      if (percentOfStart <= 110) break;
    }
    const back = afterEnd.find((reading) => reading.percentOfStart <= 110);
    const cpuPercent: Record<string, number> = {};
    for (const [name, entry] of Object.entries(hold.processes)) cpuPercent[name] = entry.cpuPercent;
    const all = [...socketMs, ...httpMs];
    const result: UploadFloodResult = {
      uploads: options.uploads,
      uploadBytes: options.uploadBytes,
      uploadStatuses: count(uploadStatuses),
      floodSeconds: round(floodSeconds),
      other: {
        calls: all.length,
        all: summarize(all),
        socketSend: summarize(socketMs),
        httpStrings: summarize(httpMs),
        socketReplies: count(socketReplies),
        httpStatuses: count(httpStatuses),
      },
      customerChatMemory: {
        startRssMiB: mib(start.rssBytes),
        peakRssMiB: mib(peak),
        peakGrowthMiB: mib(peak - start.rssBytes),
        afterFloodRssMiB: mib(afterFlood.rssBytes),
        keptGrowthMiB: mib(kept(afterFlood) - kept(start)),
        afterEnd,
        backWithin10PercentAfterSeconds: back?.seconds ?? null,
      },
      cpuPercent,
      otherCpuPercent: hold.otherCpuPercent,
    };
    options.log(
      `hostile: ${options.uploads} uploads ${JSON.stringify(result.uploadStatuses)}, other visitor ` +
        `p50 ${result.other.all.p50} ms p99 ${result.other.all.p99} ms over ${all.length} calls, ` +
        `CustomerChat RSS peak +${result.customerChatMemory.peakGrowthMiB} MiB`,
    );
    return result;
  } finally {
    await http.close();
  }
}
