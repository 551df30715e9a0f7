import { Router } from 'express';
import { apiActor } from '../accounts';
import type { DemoService } from './demo.service';

/** POST /api/v1/demo — coach: fill the workspace with demo teams, rounds and answers */
export function createDemoApiRouter({ demo }: { demo: DemoService }): Router {
  const router = Router();
  router.post('/demo', async (_req, res) => {
    res.status(201).json(await demo.seed(apiActor(res)));
  });
  return router;
}
