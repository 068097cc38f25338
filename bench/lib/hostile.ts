import { AgentCrew } from './agents';
import { benchAgentId } from './bench-configs';
import { runLoginsUnderGuessing, type LoginsResult } from './hostile-logins';
import { runUploadFlood, type UploadFloodResult } from './hostile-uploads';
import type { ServerHandle, ServerLauncher } from './servers';
import { SocketVisitor } from './visitors';

export interface HostileOptions {
  /** Uploads the flooding chat posts at once. */
  uploads: number;
  /** Bytes of each (the site's MaxAttachmentSize: the largest accepted). */
  uploadBytes: number;
  /** The real agent's log-ins while another address guesses. */
  logins: number;
  guessers: number;
  quietWaitSeconds: number;
  deadline: number;
  log: (line: string) => void;
}

export interface HostileResult {
  uploadFlood: UploadFloodResult;
  logins: LoginsResult;
}

/** Agents of the crew, who accept the two visitors' chats; the next one is the guessed one. */
const crewAgents = 2;

/**
 * hostile (only when named): issue 13's two goals that are timings, on the servers as separate
 * processes. An upload flood from one chat beside a well-behaved visitor, then an agent's log-ins
 * while another loopback address guesses its password.
 */
export async function runHostile(
  launcher: ServerLauncher,
  options: HostileOptions,
): Promise<HostileResult> {
  // Four agents of two chats each: two for the crew, and spare ones for the log-ins.
  const servers = await launcher.start({
    chats: 4,
    chatsPerAgent: 2,
    customerChat: true,
    label: 'hostile',
  });
  const customerChat = servers.customerChat as ServerHandle;
  const crew = new AgentCrew({
    chatServiceUrl: servers.chatService.url,
    agents: crewAgents,
    deadline: options.deadline,
  });
  const visitors: SocketVisitor[] = [];
  try {
    await crew.start();
    for (const name of ['flooder', 'other']) {
      const visitor = await SocketVisitor.connect(customerChat.url, 30_000);
      visitors.push(visitor);
      await visitor.requestChat(name, 30_000);
    }
    const [flooder, other] = visitors as [SocketVisitor, SocketVisitor];
    const uploadFlood = await runUploadFlood({
      customerChat,
      chatService: servers.chatService,
      flooder,
      other,
      uploads: options.uploads,
      uploadBytes: options.uploadBytes,
      minCalls: 100,
      quietWaitSeconds: options.quietWaitSeconds,
      log: options.log,
    });
    const logins = await runLoginsUnderGuessing({
      chatService: servers.chatService,
      agentId: benchAgentId(crewAgents + 1),
      logins: options.logins,
      guessers: options.guessers,
      attackerAddress: '127.0.0.2',
      quietWaitSeconds: options.quietWaitSeconds,
      log: options.log,
    });
    return { uploadFlood, logins };
  } finally {
    for (const visitor of visitors) visitor.close();
    await crew.stop();
    await servers.stop();
  }
}
