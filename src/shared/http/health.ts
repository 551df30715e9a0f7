import { Router } from 'express';
import { pingDatabase, type Connection } from '../db/connect';
import type { Lifecycle } from '../lifecycle';

/**
 * `/healthz`: the process is alive (never touches the database, so an orchestrator does not
 * restart a healthy process during a database outage). `/readyz`: this instance should get
 * traffic — the database answers a ping and no shutdown has begun.
 */
export function createHealthRouter(deps: { conn: Connection; lifecycle: Lifecycle }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (deps.lifecycle.isShuttingDown()) {
      res.status(503).json({ status: 'unavailable', reason: 'shutting-down' });
      return;
    }
    if (!(await pingDatabase(deps.conn))) {
      res.set('Retry-After', '5').status(503).json({ status: 'unavailable', reason: 'database' });
      return;
    }
    res.json({ status: 'ready' });
  });
  return router;
}
