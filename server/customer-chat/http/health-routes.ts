import { Router, type RequestHandler } from 'express';
import type { ReadinessReport } from '../readiness';

/**
 * `/CustomerChat/health/live`: the process answers. `/CustomerChat/health/ready` (and the older
 * `/CustomerChat/health`, kept as readiness): what it needs answers and no shutdown has begun;
 * 503 otherwise, so a load balancer sends new visitors elsewhere.
 */
export function healthRoutes(readiness: () => Promise<ReadinessReport>): Router {
  const router = Router();
  router.get('/CustomerChat/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'live' });
  });
  const ready: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-store');
    readiness().then(
      (report) => res.status(report.status === 'ok' ? 200 : 503).json(report),
      () => res.status(503).json({ status: 'degraded', upstream: 'down' }),
    );
  };
  router.get('/CustomerChat/health/ready', ready);
  router.get('/CustomerChat/health', ready);
  return router;
}
