import express, { type Express } from 'express';
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
import { methodRouter } from './method-router';

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
  /** Largest request body in bytes: a whole attachment in base64, and room for the rest. */
  bodyLimitBytes: number;
  /** Browser origins allowed to call /ChatService (CORS). The agent API allows none. */
  corsAllowedOrigins: readonly string[];
  trustProxy: boolean;
}

export function createChatServiceApp(options: ChatServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  const json = express.json({
    limit: options.bodyLimitBytes,
    type: ['application/json', 'text/plain', '+json'],
  });
  const allowed = new Set(options.corsAllowedOrigins.map((origin) => new URL(origin).origin));
  app.use(
    '/ChatService',
    cors({
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      maxAge: 600,
    }),
    json,
    methodRouter(customerMethods(options.customerDesk, options.version), customerCaller),
  );
  app.use(
    '/AgentService',
    json,
    methodRouter(
      agentMethods(options.agentPresence, options.agentDesk, options.roster),
      agentCaller(options.agentPresence),
    ),
  );
  app.use('/Agent', agentConsoleRoute(options.agentConsole ?? defaultAgentConsoleFiles()));
  app.use((req, res) =>
    sendFault(res, new ServiceFault('UnknownMethod', `Nothing is served at ${req.path}.`)),
  );
  app.use(faultMiddleware(options.logger));
  return app;
}
