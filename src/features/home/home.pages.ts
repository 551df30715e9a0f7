import { Router } from 'express';

/** GET / — what Teamlens is, for someone who has just installed it. */
export function createHomePagesRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home/index', { title: 'Team self-assessments' });
  });
  return router;
}
