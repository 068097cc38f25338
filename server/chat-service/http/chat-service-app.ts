import type { RequestListener } from 'node:http';
import express from 'express';
import cors from 'cors';
import type { Logger } from '../../shared/logger';
import type { AgentDesk } from '../domain/agent-desk';
import type { AgentPresence } from '../domain/agent-presence';
import type { CustomerDesk } from '../domain/customer-desk';
import {
  agentConsoleRoute,
  defaultAgentConsoleFiles,
  type AgentConsoleFiles,
} from './agent-console-route';
import type { ConsoleSettings } from '../../../client/agent/console-settings';
import { agentCaller, agentMethods } from './agent-methods';
import { customerCaller, customerMethods } from './customer-methods';
import { faultMiddleware, sendFault } from './fault-response';
import { ServiceFault } from '../../protocol/faults';
import { methodRouter, mountService, type MethodTable } from './method-router';
import { healthRoutes, type ChatServiceReadiness } from './health-routes';
import { openApiRoute, openApiPath } from './openapi-route';
import type { OfflineDesk } from '../domain/offline-desk';
import type { RatingDesk } from '../domain/rating-desk';
import type { RequestLimits } from './request-limits';

export interface ChatServiceAppOptions {
  customerDesk: CustomerDesk;
  offlineDesk: OfflineDesk;
  ratingDesk: RatingDesk;
  agentDesk: AgentDesk;
  agentPresence: AgentPresence;
  /** The agent console's page, script and stylesheet. @default defaultAgentConsoleFiles() */
  agentConsole?: AgentConsoleFiles;
  /** What the console is told with its page: attachment limits, whether PrivateData shows. */
  consoleSettings: ConsoleSettings;
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
  /** Wraps each API's method table (the metrics time every method); none: as they are. */
  instrumentMethods?: <C>(api: 'customer' | 'agent', table: MethodTable<C>) => MethodTable<C>;
  /** What /health/ready reports. */
  readiness: () => ChatServiceReadiness;
}

/** The service's HTTP handler: the two method APIs first, then express for the agent console. */
export function createChatServiceApp(options: ChatServiceAppOptions): RequestListener {
  const allowed = new Set(options.corsAllowedOrigins.map((origin) => new URL(origin).origin));
  const allowOrigin = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    maxAge: 600,
  });
  const instrument =
    options.instrumentMethods ?? (<C>(_api: string, table: MethodTable<C>) => table);
  const methods = methodRouter(
    [
      mountService({
        path: '/ChatService',
        table: instrument(
          'customer',
          customerMethods(
            options.customerDesk,
            options.offlineDesk,
            options.ratingDesk,
            options.version,
          ),
        ),
        identify: customerCaller(options.isRelayKey),
        before: (req, res, next) => allowOrigin(req, res, () => next()),
      }),
      mountService({
        path: '/AgentService',
        table: instrument('agent', agentMethods(options.agentPresence, options.agentDesk)),
        identify: agentCaller(options.agentPresence),
      }),
    ],
    options,
  );
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(options.readiness));
  app.use(openApiRoute(options.version));
  app.use(
    '/Agent',
    agentConsoleRoute(options.agentConsole ?? defaultAgentConsoleFiles(), options.consoleSettings),
  );
  app.use((req, res) =>
    sendFault(res, new ServiceFault('UnknownMethod', `Nothing is served at ${req.path}.`)),
  );
  app.use(faultMiddleware(options.logger));
  return (req, res) => {
    // Under /ChatService but not a method: the method router would call it an unknown one.
    if (openApiPath.test(req.url ?? '') || !methods(req, res)) app(req, res);
  };
}
