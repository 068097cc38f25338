import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentsFor, chatServiceConfig, webConfig } from './bench-configs';
import { RedisServer } from './redis-handle';
import { ChildServer, freePort, freshFile, spawnProbed, waitReady } from './servers';

export interface ClusterEntries {
  chatServiceEntry: string;
  customerChatEntry: string;
  probe: string;
  /** bench/lib/cluster-driver.ts as bundled by bench/start.mjs. */
  clusterDriver: string;
}

export interface ClusterSpec {
  entries: ClusterEntries;
  projectRoot: string;
  /** Configs and logs of this start. */
  dir: string;
  logLevel: string;
  instances: number;
  /** Visitor processes, each connecting from its own loopback address. */
  drivers: number;
  chats: number;
  chatsPerAgent: number;
}

export interface Cluster {
  redis: RedisServer;
  chatService: ChildServer;
  customerChats: ChildServer[];
  drivers: ChildServer[];
  /** The loopback address each driver connects from, by driver. */
  localAddresses: string[];
  stop(): Promise<void>;
}

/**
 * The cluster scenario's processes: a redis-server of its own, the Chat Service, N CustomerChat
 * instances sharing that Redis (each with the probe), and the visitor processes. Stopping kills
 * the CustomerChat instances outright: tens of thousands of graceful page-left notices at the end
 * of a run would only cost time.
 */
export async function startCluster(spec: ClusterSpec): Promise<Cluster> {
  mkdirSync(spec.dir, { recursive: true });
  const redis = await RedisServer.start(await freePort());
  const started: ChildServer[] = [];
  const probed = {
    projectRoot: spec.projectRoot,
    probe: spec.entries.probe,
    logLevel: spec.logLevel,
  };
  const stop = async () => {
    for (const child of [...started].reverse())
      await (child.name === 'chat-service' ? child.stop() : child.kill());
    await redis.stop();
  };
  try {
    const servicePort = await freePort();
    const serviceFile = join(spec.dir, 'chatservice.config.json');
    writeFileSync(
      serviceFile,
      JSON.stringify(
        chatServiceConfig({
          port: servicePort,
          agents: agentsFor(spec.chats, spec.chatsPerAgent),
          chatsPerAgent: spec.chatsPerAgent,
          outboxFolder: join(spec.dir, 'outbox'),
          liveStateFile: freshFile(join(spec.dir, 'live.sqlite')),
        }),
        null,
        2,
      ),
    );
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const serviceLog = join(spec.dir, 'chat-service.log');
    const serviceChild = spawnProbed(
      probed,
      spec.entries.chatServiceEntry,
      { CHATSERVICE_CONFIG: serviceFile },
      serviceLog,
    );
    const chatService = new ChildServer('chat-service', serviceUrl, serviceChild, serviceLog);
    started.push(chatService);
    await waitReady(`${serviceUrl}/ChatService/GetVersion`, serviceChild, serviceLog);
    const webFile = join(spec.dir, 'web.config.json');
    writeFileSync(
      webFile,
      JSON.stringify(
        {
          ...webConfig({
            port: 0,
            upstreamUrl: serviceUrl,
            resourcesFolder: join(spec.projectRoot, 'resources'),
          }),
          redisUrl: redis.url,
        },
        null,
        2,
      ),
    );
    const customerChats: ChildServer[] = [];
    const waits: Promise<void>[] = [];
    for (let index = 1; index <= spec.instances; index += 1) {
      const port = await freePort();
      const logFile = join(spec.dir, `customer-chat-${index}.log`);
      const child = spawnProbed(
        probed,
        spec.entries.customerChatEntry,
        { CUSTOMERCHAT_CONFIG: webFile, CUSTOMERCHAT_PORT: String(port) },
        logFile,
      );
      const server = new ChildServer(
        `customer-chat-${index}`,
        `http://127.0.0.1:${port}`,
        child,
        logFile,
      );
      started.push(server);
      customerChats.push(server);
      waits.push(waitReady(`${server.url}/CustomerChat/health`, child, logFile));
    }
    await Promise.all(waits);
    const drivers: ChildServer[] = [];
    const localAddresses: string[] = [];
    for (let index = 1; index <= spec.drivers; index += 1) {
      const logFile = join(spec.dir, `visitors-${index}.log`);
      const fd = openSync(logFile, 'w');
      const child = spawn(
        process.execPath,
        ['--expose-gc', '--max-old-space-size=4096', spec.entries.clusterDriver],
        { cwd: spec.projectRoot, stdio: ['ignore', fd, fd, 'ipc'] },
      );
      closeSync(fd);
      const driver = new ChildServer(`visitors-${index}`, '', child, logFile);
      started.push(driver);
      drivers.push(driver);
      localAddresses.push(`127.0.0.${index}`);
    }
    return { redis, chatService, customerChats, drivers, localAddresses, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
