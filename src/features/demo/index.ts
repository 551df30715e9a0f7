// Demo: reproducible demo teams, rounds and answers for a newcomer, through the same services
// as real use (so the demo is also a smoke test of them). Reached from the empty dashboard,
// POST /api/v1/demo and `npm run demo`.
import { createDemoApiRouter } from './demo.api';
import { createDemoPagesRouter } from './demo.pages';
import { createDemoService } from './demo.service';

export function createDemoModule(deps: Parameters<typeof createDemoService>[0]) {
  const service = createDemoService(deps);
  return {
    service,
    apiRouter: createDemoApiRouter({ demo: service }),
    pagesRouter: createDemoPagesRouter({ demo: service }),
  };
}
