import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../../server/config/load-config-file';
import { ChatServiceConfigSchema } from '../../server/config/chat-service-config';
import { WebConfigSchema } from '../../server/config/web-config';
import { ChatServiceServer } from '../../server/chat-service/chat-service-server';
import { CustomerChatServer } from '../../server/customer-chat/customer-chat-server';
import { loadToolboxConfigFile } from '../../server/customer-chat/http/toolbox-script';
import { loadResourceCatalog } from '../../server/resources/resource-catalog';
import { agentsFor, chatServiceConfig, webConfig } from './bench-configs';
import { createProbe, type Probe } from './probe-core';
import { projectRoot } from './paths';
import type { ServerHandle, ServerLauncher } from './servers';

/** The toolbox made by the project's own build script into a temporary file (no npm run build). */
export async function buildToolbox(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-toolbox-'));
  try {
    const outfile = join(dir, 'toolbox.js');
    await promisify(execFile)(
      process.execPath,
      ['scripts/build-toolbox.mjs', '--outfile', outfile],
      { cwd: projectRoot },
    );
    return readFileSync(outfile, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function handle(name: ServerHandle['name'], url: string, probe: Probe): ServerHandle {
  return {
    name,
    url,
    pid: undefined,
    sample: async (gc) => probe.sample(gc),
    resetLag: async () => probe.resetLag(),
    startProfile: () => probe.startProfile(),
    stopProfile: (file) => probe.stopProfile(file),
    heapSnapshot: async (file) => probe.heapSnapshot(file),
    logFile: undefined,
  };
}

/**
 * Both servers inside the calling process (the smoke test under jest): the same classes and
 * configs as the real bench, with the real clock. Memory and lag figures are then the whole
 * process's, both servers and the driver together.
 */
export function inProcessLauncher(): ServerLauncher {
  let toolbox: Promise<string> | undefined;
  return {
    mode: 'in-process',
    async start(spec) {
      const outbox = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
      const chatService = new ChatServiceServer({
        config: parseConfig(
          'bench chatservice config',
          chatServiceConfig({
            port: 0,
            agents: agentsFor(spec.chats, spec.chatsPerAgent),
            chatsPerAgent: spec.chatsPerAgent,
            outboxFolder: outbox,
          }),
          ChatServiceConfigSchema,
        ),
      });
      await chatService.start();
      const probe = createProbe();
      let customerChat: CustomerChatServer | undefined;
      if (spec.customerChat) {
        toolbox ??= buildToolbox();
        const publicDir = join(projectRoot, 'public');
        customerChat = new CustomerChatServer({
          config: parseConfig(
            'bench web config',
            webConfig({
              port: 0,
              upstreamUrl: chatService.url,
              resourcesFolder: join(projectRoot, 'resources'),
            }),
            WebConfigSchema,
          ),
          upstreamUrl: chatService.url,
          resources: loadResourceCatalog(join(projectRoot, 'resources')),
          toolboxBundle: await toolbox,
          toolboxDefaults: loadToolboxConfigFile(join(projectRoot, 'toolbox.config.js')),
          viewsDir: join(projectRoot, 'views'),
          publicDir,
          samplePageScript: readFileSync(join(publicDir, 'sample-page.js'), 'utf8'),
        });
        await customerChat.start();
      }
      return {
        chatService: handle('chat-service', chatService.url, probe),
        customerChat:
          customerChat === undefined ? undefined : handle('customer-chat', customerChat.url, probe),
        async stop() {
          await customerChat?.stop();
          await chatService.stop();
          probe.close();
          rmSync(outbox, { recursive: true, force: true });
        },
      };
    },
  };
}
