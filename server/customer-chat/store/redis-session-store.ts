import { readFile } from 'node:fs/promises';
import type Redis from 'ioredis';
import type { ConversationEvent, LoggedEvent } from '../session/visitor-events';
import type { DeadlineKind, SessionState } from '../session/visitor-session';
import {
  acquireLeaseScript,
  appendScript,
  claimDueScript,
  eventsAfterScript,
  pageJoinedScript,
  pageLeftScript,
  releaseLeaseScript,
  removeInstanceScript,
  renewLeasesScript,
  updateStateScript,
} from './redis-scripts';
import {
  maxLoggedEvents,
  onceKey,
  type AppendResult,
  type ChatRecord,
  type DueDeadline,
  type SessionStore,
  type FileToKeep,
  type StoredFile,
  type StoredSession,
  type UpstreamAppend,
} from './session-store';

const deadlineKinds: readonly DeadlineKind[] = ['tellAgent', 'warning', 'grace'];

/**
 * The Redis engine: every instance reads and writes the same chats, each step one command or one
 * Lua script so two instances never interleave inside it. Per chat: a hash (record, state and its
 * version, seq counters, lease fence), the log as a list of "seq:json", the seen ClientMessageIDs,
 * the files, the pages (page → instance). Shared: the live chats' lease expiries, the deadlines and
 * the instances' heartbeats, each a sorted set by time.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'customerchat:',
  ) {}

  async create(record: ChatRecord, state: SessionState): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key('s', record.token), {
        chatId: record.chatId,
        customerName: record.customerName,
        state: JSON.stringify(state),
        version: 1,
        lastSeq: 0,
        firstSeq: 1,
        upstreamSeq: 0,
        fence: 0,
        files: 0,
      })
      .zadd(this.shared('leases'), 0, record.token)
      .exec();
  }

  async session(token: string): Promise<StoredSession | undefined> {
    const [[, all] = [], [, pages] = []] =
      (await this.redis
        .multi()
        .hgetall(this.key('s', token))
        .hlen(this.key('pages', token))
        .exec()) ?? [];
    const fields = all as Record<string, string>;
    if (fields['chatId'] === undefined) return undefined;
    return {
      record: { token, chatId: fields['chatId'], customerName: fields['customerName'] ?? '' },
      state: JSON.parse(fields['state'] ?? '{"phase":"ended"}') as SessionState,
      version: Number(fields['version']),
      lastSeq: Number(fields['lastSeq']),
      upstreamSeq: Number(fields['upstreamSeq']),
      pages: Number(pages),
    };
  }

  async updateState(token: string, version: number, state: SessionState): Promise<boolean> {
    const done = await updateStateScript.run(
      this.redis,
      [this.key('s', token)],
      [version, JSON.stringify(state)],
    );
    return done === 1;
  }

  async append(
    token: string,
    events: ConversationEvent[],
    upstream?: UpstreamAppend,
  ): Promise<AppendResult> {
    const args: Array<string | number> = [
      upstream?.fence ?? '',
      upstream?.upstreamSeq ?? 0,
      maxLoggedEvents,
    ];
    const bodies = events.map((event) => JSON.stringify(event));
    events.forEach((event, index) => {
      args.push(onceKey(event) ?? '', bodies[index] ?? '');
    });
    const answer = await appendScript.run(
      this.redis,
      [this.key('s', token), this.key('log', token), this.key('ids', token)],
      args,
    );
    if (answer === -1) return { fenced: true };
    const seqs = answer as number[];
    const logged: LoggedEvent[] = [];
    events.forEach((event, index) => {
      const seq = seqs[index] ?? 0;
      if (seq > 0) logged.push(Object.assign({}, event, { seq }));
    });
    return { fenced: false, logged };
  }

  async eventsAfter(token: string, seq: number): Promise<LoggedEvent[]> {
    const entries = (await eventsAfterScript.run(
      this.redis,
      [this.key('s', token), this.key('log', token)],
      [seq],
    )) as string[];
    return entries.map((entry) => {
      const colon = entry.indexOf(':');
      const event = JSON.parse(entry.slice(colon + 1)) as ConversationEvent;
      return Object.assign(event, { seq: Number(entry.slice(0, colon)) });
    });
  }

  async hasMessage(token: string, clientMessageId: string): Promise<boolean> {
    return (await this.redis.sismember(this.key('ids', token), clientMessageId)) === 1;
  }

  async end(token: string, retentionMs: number): Promise<void> {
    const multi = this.redis.multi();
    for (const part of ['s', 'log', 'ids', 'files', 'pages'])
      multi.pexpire(this.key(part, token), retentionMs);
    multi.zrem(this.shared('leases'), token);
    multi.zrem(this.shared('deadlines'), ...deadlineKinds.map((kind) => `${token}|${kind}`));
    await multi.exec();
  }

  async keepFile(token: string, file: FileToKeep): Promise<string> {
    // Redis takes the bytes in one command: a staged upload is read whole here.
    const data = 'data' in file ? file.data : await readFile(file.stagedPath);
    const id = String(await this.redis.hincrby(this.key('s', token), 'files', 1));
    await this.redis.hset(this.key('files', token), `n:${id}`, file.name, `d:${id}`, data);
    return id;
  }

  async file(token: string, id: string): Promise<StoredFile | undefined> {
    const [name, data] = await this.redis.hmgetBuffer(
      this.key('files', token),
      `n:${id}`,
      `d:${id}`,
    );
    if (name == null || data == null) return undefined;
    return { name: name.toString('utf8'), data };
  }

  async pageJoined(token: string, instanceId: string, pageId: string): Promise<number> {
    return Number(
      await pageJoinedScript.run(
        this.redis,
        [this.key('pages', token), this.key('ipages', instanceId), this.key('s', token)],
        [pageId, instanceId, token],
      ),
    );
  }

  async pageLeft(token: string, instanceId: string, pageId: string): Promise<number> {
    return Number(
      await pageLeftScript.run(
        this.redis,
        [this.key('pages', token), this.key('ipages', instanceId), this.key('s', token)],
        [pageId, instanceId, token],
      ),
    );
  }

  async heartbeat(instanceId: string, now: number, ttlMs: number): Promise<void> {
    await this.redis.zadd(this.shared('instances'), now + ttlMs, instanceId);
  }

  lapsedInstances(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.shared('instances'), '-inf', now);
  }

  async removeInstance(instanceId: string): Promise<Array<{ token: string; pages: number }>> {
    const flat = (await removeInstanceScript.run(
      this.redis,
      [this.shared('instances'), this.key('ipages', instanceId)],
      [instanceId, this.prefix],
    )) as Array<string | number>;
    const lost: Array<{ token: string; pages: number }> = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      lost.push({ token: String(flat[i]), pages: Number(flat[i + 1]) });
    return lost;
  }

  async setDeadline(token: string, kind: DeadlineKind, at: number): Promise<void> {
    await this.redis.zadd(this.shared('deadlines'), at, `${token}|${kind}`);
  }

  async clearDeadlines(token: string): Promise<void> {
    await this.redis.zrem(
      this.shared('deadlines'),
      ...deadlineKinds.map((kind) => `${token}|${kind}`),
    );
  }

  async claimDue(now: number, limit: number): Promise<DueDeadline[]> {
    const due = (await claimDueScript.run(
      this.redis,
      [this.shared('deadlines')],
      [now, limit],
    )) as string[];
    return due.map((member) => {
      const bar = member.lastIndexOf('|');
      return { token: member.slice(0, bar), kind: member.slice(bar + 1) as DeadlineKind };
    });
  }

  async acquireLease(
    token: string,
    instanceId: string,
    now: number,
    ttlMs: number,
  ): Promise<number | undefined> {
    const fence = await acquireLeaseScript.run(
      this.redis,
      [this.key('s', token), this.shared('leases')],
      [token, instanceId, now, ttlMs],
    );
    return typeof fence === 'number' ? fence : undefined;
  }

  async renewLeases(
    instanceId: string,
    leases: ReadonlyArray<{ token: string; fence: number }>,
    now: number,
    ttlMs: number,
  ): Promise<string[]> {
    if (leases.length === 0) return [];
    const args: Array<string | number> = [instanceId, now, ttlMs, this.prefix];
    for (const { token, fence } of leases) args.push(token, fence);
    return (await renewLeasesScript.run(this.redis, [this.shared('leases')], args)) as string[];
  }

  async releaseLease(token: string, fence: number): Promise<void> {
    await releaseLeaseScript.run(
      this.redis,
      [this.key('s', token), this.shared('leases')],
      [token, fence],
    );
  }

  unleased(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.shared('leases'), '-inf', now, 'LIMIT', 0, limit);
  }

  async close(): Promise<void> {
    // The connection belongs to the engine that made it.
  }

  private key(part: string, id: string): string {
    return `${this.prefix}${part}:${id}`;
  }

  private shared(name: string): string {
    return `${this.prefix}${name}`;
  }
}
