import express, { type Express, type Request } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import type { AttachmentLimits } from '../../shared/attachment-policy';
import type { Logger } from '../../shared/logger';
import { sendCompressedAsset } from '../../shared/compressed-asset';
import { isOriginAllowed } from '../gateway/origin-policy';
import type { ChatRelay } from '../relay/chat-relay';
import { attachmentRoutes } from './attachment-routes';
import type { UploadDesk } from './upload-desk';
import type { ToolboxScripts } from './toolbox-script';
import type { ReadinessReport } from '../readiness';
import { healthRoutes } from './health-routes';

export interface CustomerChatAppOptions {
  relay: ChatRelay;
  toolbox: ToolboxScripts;
  /** Picks the visitor's culture: the page's Language when given, then Accept-Language. */
  cultureOf: (req: Request, language?: string) => string;
  limits: () => Promise<AttachmentLimits>;
  /** The site's attachment limits (toolbox.config.js), enforced on uploads too. */
  siteLimits: AttachmentLimits | undefined;
  uploads: UploadDesk;
  readiness: () => Promise<ReadinessReport>;
  allowedHosts: readonly string[];
  trustProxy: boolean;
  viewsDir: string;
  publicDir: string;
  samplePageScript: string;
  logger: Logger;
}

/** CustomerChat's HTTP side, all under /CustomerChat: the sample page, the toolbox, files, health. */
export function createCustomerChatApp(options: CustomerChatAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', options.viewsDir);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  const crossSite = cors({
    origin: (origin, callback) =>
      callback(null, isOriginAllowed(origin, undefined, options.allowedHosts)),
    allowedHeaders: ['Content-Type', 'X-Chat-Token'],
    maxAge: 600,
  });

  app.get('/CustomerChat/Chat', (_req, res) => {
    res.render('sample-page', { sampleScript: options.samplePageScript });
  });
  app.use('/CustomerChat/Chat/static', express.static(options.publicDir, { maxAge: '5m' }));
  app.get('/CustomerChat/Chat/Toolbox', (req, res) => {
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const script = options.toolbox.script(options.cultureOf(req), origin);
    res.set({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      Vary: 'Accept-Language',
      // Host pages on other sites must be able to load it.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    sendCompressedAsset(req, res, script);
  });
  app.get('/CustomerChat/Chat/Toolbox.d.ts', (req, res) => {
    const types = options.toolbox.types;
    if (types === undefined) {
      res.status(404).end();
      return;
    }
    res.set({
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    sendCompressedAsset(req, res, types);
  });
  // For a page whose Language differs from the culture served with the script.
  app.get('/CustomerChat/Chat/Toolbox/Strings', crossSite, (req, res) => {
    const language = req.query['culture'];
    if (
      typeof language !== 'string' ||
      !/^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)?$/.test(language)
    ) {
      res
        .status(400)
        .json({ ok: false, error: { code: 'BadRequest', message: 'Give culture=<name>.' } });
      return;
    }
    const strings = options.toolbox.strings(options.cultureOf(req, language));
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      Vary: 'Accept-Language, Origin',
      ETag: strings.etag,
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(strings.body);
  });
  app.use('/CustomerChat/Chat/Attachment', crossSite, attachmentRoutes(options));
  app.use(healthRoutes(options.readiness));
  app.use((_req, res) => {
    res
      .status(404)
      .json({ ok: false, error: { code: 'BadRequest', message: 'Nothing is served here.' } });
  });
  app.use((error: unknown, _req: Request, res: express.Response, _next: express.NextFunction) => {
    options.logger.error({ err: error }, 'request failed');
    if (!res.headersSent)
      res
        .status(500)
        .json({ ok: false, error: { code: 'Internal', message: 'Something went wrong.' } });
  });
  return app;
}
