import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { assertRole } from '../workspaces';
import { QuestionnaireParams, QuestionnaireQuery } from './questionnaire.schemas';
import type { QuestionnaireService } from './questionnaire.service';

/**
 * JSON under /api/v1/questionnaires. Reading the library needs no account (then it holds the
 * built-ins only); with a token it also holds the workspace's own questionnaires.
 */
export function createQuestionnaireApiRouter({
  questionnaires,
}: {
  questionnaires: QuestionnaireService;
}): Router {
  const router = Router();

  /** GET /questionnaires — the latest version of each questionnaire */
  router.get('/', async (_req, res) => {
    res.json({ items: await questionnaires.list(res.locals.actor?.workspaceId ?? null) });
  });

  /** POST /questionnaires — coach: a new questionnaire, or a new version of one */
  router.post('/', async (req, res) => {
    const actor = apiActor(res);
    assertRole(actor, 'coach');
    const { questionnaire, outcome } = await questionnaires.saveVersion(
      actor.workspaceId,
      req.body,
    );
    res.status(outcome === 'created' ? 201 : 200).json({ ...questionnaire, outcome });
  });

  /** GET /questionnaires/schema.json — the definition format as JSON Schema 2020-12 */
  router.get('/schema.json', (_req, res) => {
    res.type('application/schema+json').json(questionnaires.jsonSchema());
  });

  /** POST /questionnaires/validate — 200 with `valid` and every error; stores nothing */
  router.post('/validate', (req, res) => {
    res.json(questionnaires.validate(req.body));
  });

  /** GET /questionnaires/:slug?version=N — one version (the latest without `version`) */
  router.get('/:slug', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    res.json(await questionnaires.get(res.locals.actor?.workspaceId ?? null, slug, version));
  });

  return router;
}
