import { Router } from 'express';
import {
  apiErrors,
  route,
  type ApiDescription,
  type ApiOperation,
} from '../../shared/http/openapi';
import { apiActor } from '../accounts';
import type { DemoService } from './demo.service';

const seed: ApiOperation = {
  method: 'post',
  path: '/demo',
  tag: 'Demo',
  access: 'coach',
  summary: 'Fill the workspace with demo teams, rounds and answers',
  description:
    'Three teams, each with two rounds of Operating maturity and one of Tensions in how we work, with a contested item, a round below the minimum group size, and actions agreed after the first rounds (some done, one overdue). Once per workspace (409 `DEMO_EXISTS`).',
  responses: {
    201: { description: '`{teams, rounds, responses}` created' },
    409: apiErrors[409],
  },
};

/** The OpenAPI description of the route below. */
export const demoApi: ApiDescription = { operations: [seed], schemas: {} };

/** JSON of the demo, mounted at the root of /api/v1. */
export function createDemoApiRouter({ demo }: { demo: DemoService }): Router {
  const router = Router();
  route(router, seed, async (_req, res) => {
    res.status(201).json(await demo.seed(apiActor(res)));
  });
  return router;
}
