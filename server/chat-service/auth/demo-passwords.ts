import { verifyPassword } from './password-hash';
import type { AgentConfig } from '../../config/chat-service-config';

/** The demo log-ins of the shipped config (README): never to be reachable from a network. */
const demoPasswords = ['demo-alice', 'demo-bob'];

export function agentsWithDemoPasswords(agents: readonly AgentConfig[]): string[] {
  return agents
    .filter((agent) =>
      demoPasswords.some((password) => verifyPassword(password, agent.PasswordHash)),
    )
    .map((agent) => agent.AgentID);
}

export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1'
  );
}
