import { deriveKey, parseHash } from './password-hash';
import type { AgentConfig } from '../../config/chat-service-config';

/** The demo log-ins of the shipped config (README): never to be reachable from a network. */
const demoPasswords = ['demo-alice', 'demo-bob'];

/** Off the event loop: at OWASP's parameters each check takes about half a second. */
export async function agentsWithDemoPasswords(agents: readonly AgentConfig[]): Promise<string[]> {
  const found: string[] = [];
  for (const agent of agents) {
    const parsed = parseHash(agent.PasswordHash);
    if (parsed === undefined) continue;
    for (const password of demoPasswords) {
      const key = await deriveKey(password, parsed.salt, parsed.params);
      if (key.equals(parsed.key)) found.push(agent.AgentID);
    }
  }
  return found;
}

export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1'
  );
}
