import { Router } from 'express';
import { pageActor, requireLogin } from '../accounts';
import type { DemoService } from './demo.service';

/** POST /demo — the button on an empty dashboard */
export function createDemoPagesRouter({ demo }: { demo: DemoService }): Router {
  const router = Router();
  router.post('/demo', requireLogin, async (req, res) => {
    const result = await demo.seed(pageActor(res));
    req.session.flash = `Demo data added: ${result.teams} teams, ${result.rounds} rounds, ${result.responses} answers.`;
    res.redirect(303, '/dashboard');
  });
  return router;
}
