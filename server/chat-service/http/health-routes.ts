import { Router } from 'express';

export interface ChatServiceReadiness {
  status: 'ready' | 'unavailable';
  /** Not checked once a shutdown has begun. */
  database?: 'writable' | 'unwritable';
  shuttingDown: boolean;
}

/**
 * `/health/live`: the process answers. `/health/ready`: it should be sent work, that is the
 * database takes writes and no shutdown has begun; 503 otherwise, so a load balancer moves on.
 */
export function healthRoutes(readiness: () => ChatServiceReadiness): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'live' });
  });
  router.get('/health/ready', (_req, res) => {
    const report = readiness();
    res
      .status(report.status === 'ready' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(report);
  });
  return router;
}
