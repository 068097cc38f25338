import type { RequestListener } from 'node:http';
import express from 'express';
import cors from 'cors';
import type { Logger } from '../../shared/logger';
import type { AgentDesk } from '../domain/agent-desk';
import type { AgentPresence } from '../domain/agent-presence';
import type { CustomerDesk } from '../domain/customer-desk';
import type { Roster } from '../domain/roster';
import {
  agentConsoleRoute,
  defaultAgentConsoleFiles,
  type AgentConsoleFiles,
} from './agent-console-route';
import { agentCaller, agentMethods } from './agent-methods';
import { customerCaller, customerMethods } from './customer-methods';
import { faultMiddleware, sendFault } from './fault-response';
import { ServiceFault } from '../../protocol/faults';
import { methodRouter, mountService } from './method-router';
import type { RequestLimits } from './request-limits';

export interface ChatServiceAppOptions {
  customerDesk: CustomerDesk;
  agentDesk: AgentDesk;
  agentPresence: AgentPresence;
  /** The service's state, read by GetOverview. */
  roster: Roster;
  /** The agent console's page, script and stylesheet. @default defaultAgentConsoleFiles() */
  agentConsole?: AgentConsoleFiles;
  logger: Logger;
  version: string;
  /** Largest body of a SendMessage in bytes: a whole attachment, and room for the rest. */
  attachmentBodyLimitBytes: number;
  /** Largest body of every other method in bytes. */
  bodyLimitBytes: number;
  limits: RequestLimits;
  /** Browser origins allowed to call /ChatService (CORS). The agent API allows none. */
  corsAllowedOrigins: readonly string[];
  trustProxy: boolean;
  /** Resolves once the changes made so far are committed; every answer waits for it. */
  commit: () => Promise<void>;
  /** Tells CustomerChat's X-Relay-Key from any other. */
  isRelayKey: (given: string | undefined) => boolean;
}

/** The service's HTTP handler: the two method APIs first, then express for the agent console. */
export function createChatServiceApp(options: ChatServiceAppOptions): RequestListener {
  const allowed = new Set(options.corsAllowedOrigins.map((origin) => new URL(origin).origin));
  const allowOrigin = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    maxAge: 600,
  });
  const methods = methodRouter(
    [
      mountService({
        path: '/ChatService',
        table: customerMethods(options.customerDesk, options.version),
        identify: customerCaller(options.isRelayKey),
        before: (req, res, next) => allowOrigin(req, res, () => next()),
      }),
      mountService({
        path: '/AgentService',
        table: agentMethods(options.agentPresence, options.agentDesk, options.roster),
        identify: agentCaller(options.agentPresence),
      }),
    ],
    options,
  );
  const app = express();
  app.disable('x-powered-by');
  app.use('/Agent', agentConsoleRoute(options.agentConsole ?? defaultAgentConsoleFiles()));
  app.use((req, res) =>
    sendFault(res, new ServiceFault('UnknownMethod', `Nothing is served at ${req.path}.`)),
  );
  app.use(faultMiddleware(options.logger));
  return (req, res) => {
    if (!methods(req, res)) app(req, res);
  };
}
