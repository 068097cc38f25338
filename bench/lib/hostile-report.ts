import type { HostileResult } from './hostile';
import { round } from './stats';

const mb = (mebibytes: number) => round(mebibytes * 1.048576, 1);
const counts = (entries: Record<string, number>) =>
  Object.entries(entries)
    .map(([key, value]) => `${key} × ${value}`)
    .join(', ');

/** Issue 13's and 17's goals that the hostile scenario measures. */
export function hostileTargets(result: HostileResult | null) {
  if (result === null) return [];
  const { uploadFlood: flood, logins } = result;
  const memory = flood.customerChatMemory;
  const last = memory.afterEnd[memory.afterEnd.length - 1];
  return [
    {
      target: `upload flood (${flood.uploads} at once): the other visitor's p99 < 100 ms`,
      measured:
        `p99 ${flood.other.all.p99} ms (socket ${flood.other.socketSend.p99}, HTTP ` +
        `${flood.other.httpStrings.p99}) over ${flood.other.calls} calls`,
      met: flood.other.all.p99 < 100,
    },
    {
      target: 'upload flood: CustomerChat RSS growth < 50 MB',
      measured: `+${mb(memory.peakGrowthMiB)} MB at the peak (from ${mb(memory.startRssMiB)} MB)`,
      met: mb(memory.peakGrowthMiB) < 50,
    },
    {
      target: `RSS within 10 % of its start after the chat with ${flood.uploads} files ends`,
      measured:
        last === undefined
          ? 'not read'
          : `${last.percentOfStart} % of the start ${last.seconds} s after the chat ended`,
      met: memory.backWithin10PercentAfterSeconds !== null,
    },
    {
      target: 'an agent logs in within 1 s while another address guesses its password',
      measured:
        `p50 ${logins.underGuessing.p50} ms, max ${logins.underGuessing.max} ms over ` +
        `${logins.underGuessing.count} log-ins (${logins.guessesPerSecond} guesses/s)`,
      met:
        logins.underGuessing.max < 1000 &&
        logins.loginStatuses['200'] === logins.underGuessing.count,
    },
  ];
}

/** The hostile section of the results' tables. */
export function renderHostile(result: HostileResult | null): string[] {
  if (result === null) return [];
  const { uploadFlood: flood, logins } = result;
  const memory = flood.customerChatMemory;
  const other = flood.other;
  return [
    '## Hostile visitors',
    '',
    `One chat posts ${flood.uploads} uploads of ${round(flood.uploadBytes / 1024)} KiB at once ` +
      '(from a process of its own) while another visitor, in its own chat, sends a message on its ' +
      'socket and fetches GET /CustomerChat/Chat/Toolbox/Strings, one after the other, until the ' +
      `uploads are answered (${flood.floodSeconds} s). CustomerChat's memory is read by the probe ` +
      'inside it; then the flooding chat leaves.',
    '',
    `Uploads answered: ${counts(flood.uploadStatuses)}.`,
    '',
    '| the other visitor | calls | p50 | p95 | p99 | max | answers |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    `| message:send | ${other.socketSend.count} | ${other.socketSend.p50} | ${other.socketSend.p95} | ` +
      `${other.socketSend.p99} | ${other.socketSend.max} | ${counts(other.socketReplies)} |`,
    `| GET Toolbox/Strings | ${other.httpStrings.count} | ${other.httpStrings.p50} | ` +
      `${other.httpStrings.p95} | ${other.httpStrings.p99} | ${other.httpStrings.max} | ` +
      `${counts(other.httpStatuses)} |`,
    `| both | ${other.all.count} | ${other.all.p50} | ${other.all.p95} | ${other.all.p99} | ` +
      `${other.all.max} | |`,
    '',
    `CustomerChat RSS: ${memory.startRssMiB} MiB before (after a full GC), ${memory.peakRssMiB} MiB ` +
      `at the peak (+${memory.peakGrowthMiB} MiB), ${memory.afterFloodRssMiB} MiB after the ` +
      `flood (heap and external kept +${memory.keptGrowthMiB} MiB); after the chat ended: ` +
      memory.afterEnd
        .map(
          (reading) =>
            `${reading.rssMiB} MiB at ${reading.seconds} s (${reading.percentOfStart} %)`,
        )
        .join(', ') +
      `. CPU during the flood: ${counts(flood.cpuPercent)} % of a core; others ${flood.otherCpuPercent} %.`,
    '',
    `Log-in of ${logins.agentId} from 127.0.0.1 while ${logins.attackerAddress} guesses its ` +
      `password without pause (${logins.guesses} guesses, ${logins.guessesPerSecond}/s: ` +
      `${counts(logins.guessStatuses)}; the Chat Service used ${logins.chatServiceCpuPercent} % ` +
      `of a core, other processes, the guessing one among them, ${logins.otherCpuPercent} %):`,
    '',
    '| log-ins | count | p50 | p99 | max | answers |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| nobody guessing | ${logins.quiet.count} | ${logins.quiet.p50} | ${logins.quiet.p99} | ` +
      `${logins.quiet.max} | |`,
    `| under guessing | ${logins.underGuessing.count} | ${logins.underGuessing.p50} | ` +
      `${logins.underGuessing.p99} | ${logins.underGuessing.max} | ${counts(logins.loginStatuses)} |`,
    '',
  ];
}
