import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';
import { renderFile } from 'ejs';
import { consoleText } from '../../../client/agent/console-text';

/** Where the console's files are: the page template, the bundled script, the stylesheet. */
export interface AgentConsoleFiles {
  /** views/agent-console.ejs */
  pageTemplate: string;
  /** dist/client/agent.js, written by scripts/build-agent-console.mjs. */
  bundle: string;
  /** public/agent: the stylesheet. */
  staticDir: string;
}

/** The files in the project's folders, found from this module whether it runs from source or dist. */
export function defaultAgentConsoleFiles(): AgentConsoleFiles {
  const root = projectRoot(__dirname);
  return {
    pageTemplate: join(root, 'views', 'agent-console.ejs'),
    bundle: join(root, 'dist', 'client', 'agent.js'),
    staticDir: join(root, 'public', 'agent'),
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
 * `/AgentService` on the same origin. Served with a strict Content-Security-Policy: scripts,
 * styles and requests from this origin only; images also from data: and blob: (attachments).
 */
export function agentConsoleRoute(files: AgentConsoleFiles): Router {
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
    }).then((html) => {
      res.set('Cache-Control', 'no-store').type('html').send(html);
    }, next);
  });
  router.get('/app.js', (_req, res, next) => {
    if (!existsSync(files.bundle)) {
      res
        .status(503)
        .type('text/plain')
        .send('The agent console is not built: run `npm run build`.');
      return;
    }
    res.sendFile(
      files.bundle,
      {
        headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' },
      },
      (error) => {
        if (error !== undefined) next(error);
      },
    );
  });
  router.use('/static', express.static(files.staticDir, { maxAge: '5m' }));
  return router;
}
