import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import helmet from 'helmet';
import { renderFile } from 'ejs';
import type { ConsoleSettings } from '../../../client/agent/console-settings';
import { consoleText } from '../../../client/agent/console-text';
import { sendCompressedAsset } from '../../shared/compressed-asset';
import { fileAsset } from '../../shared/file-asset';

/** Where the console's files are: the page template, the bundled script, the stylesheet. */
export interface AgentConsoleFiles {
  /** views/agent-console.ejs */
  pageTemplate: string;
  /** dist/client/agent.js, written by scripts/build-agent-console.mjs. */
  bundle: string;
  /** public/agent/agent-console.css */
  stylesheet: string;
}

/** The files in the project's folders, found from this module whether it runs from source or dist. */
export function defaultAgentConsoleFiles(): AgentConsoleFiles {
  const root = projectRoot(__dirname);
  return {
    pageTemplate: join(root, 'views', 'agent-console.ejs'),
    bundle: join(root, 'dist', 'client', 'agent.js'),
    stylesheet: join(root, 'public', 'agent', 'agent-console.css'),
  };
}

function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/**
 * `/Agent`: the agent console, a page of the Chat Service (never of CustomerChat) that talks to
 * `/AgentService` on the same origin, with the service's settings for it in the page. Served with a strict Content-Security-Policy: scripts,
 * styles and requests from this origin only; images also from data: and blob: (attachments).
 */
export function agentConsoleRoute(files: AgentConsoleFiles, settings: ConsoleSettings): Router {
  const settingsJson = JSON.stringify(settings);
  const router = Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // The console never runs in a frame of another site.
      frameguard: { action: 'deny' },
    }),
  );
  router.get('/', (_req, res, next) => {
    renderFile(files.pageTemplate, {
      lang: consoleText.lang,
      title: consoleText.pageTitle,
      noScript: consoleText.noScript,
      scriptUrl: '/Agent/app.js',
      styleUrl: '/Agent/static/agent-console.css',
      // An attribute value, escaped by ejs: the page needs no inline script (its CSP allows none).
      settings: settingsJson,
    }).then((html) => {
      res.set('Cache-Control', 'no-store').type('html').send(html);
    }, next);
  });
  const script = fileAsset(files.bundle);
  const stylesheet = fileAsset(files.stylesheet);
  router.get('/app.js', (req, res) => {
    const asset = script();
    if (asset === undefined) {
      res
        .status(503)
        .type('text/plain')
        .send('The agent console is not built: run `npm run build`.');
      return;
    }
    // Revalidated on every load: a new build must reach agents at once.
    res.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
    sendCompressedAsset(req, res, asset);
  });
  router.get('/static/agent-console.css', (req, res, next) => {
    const asset = stylesheet();
    if (asset === undefined) {
      next();
      return;
    }
    res.set({ 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
    sendCompressedAsset(req, res, asset);
  });
  return router;
}
