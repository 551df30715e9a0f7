import { route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import type { Actor } from '../workspaces';
import type { DemoService } from './demo.service';

/** JSON of the demo, mounted at the root of /api/v1. */
export function createDemoApiRouter({ demo }: { demo: DemoService }): ApiRouter<Actor> {
  const api = apiRouter();
  route(
    api,
    {
      method: 'post',
      path: '/demo',
      tag: 'Demo',
      access: 'coach',
      summary: 'Fill the workspace with demo teams, rounds and answers',
      description:
        'Three teams, each with two rounds of Operating maturity and one of Tensions in how we work, with a contested item, a round below the minimum group size, and actions agreed after the first rounds (some done, one overdue). Once per workspace (409 `DEMO_EXISTS`).',
      responses: { 201: { description: '`{teams, rounds, responses}` created' } },
      errors: ['DEMO_EXISTS'],
    },
    // No schema of its own (documented as today): the counts go out as the service gives them.
    async ({ actor, res }) => {
      res.status(201).json(await demo.seed(actor));
    },
  );
  return api;
}
