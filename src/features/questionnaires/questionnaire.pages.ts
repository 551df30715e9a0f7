import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { QuestionnaireParams, QuestionnaireQuery } from './questionnaire.schemas';
import type { QuestionnaireService } from './questionnaire.service';
import { toLibraryView, toPreviewView } from './questionnaire.view-model';

export function createQuestionnairePagesRouter({
  questionnaires,
}: {
  questionnaires: QuestionnaireService;
}): Router {
  const router = Router();

  /** GET /questionnaires — the library */
  router.get('/questionnaires', async (_req, res) => {
    res.render('questionnaires/list', toLibraryView(await questionnaires.list(null)));
  });

  /** GET /questionnaires/:slug?version=N — read-only preview, as a respondent sees it */
  router.get('/questionnaires/:slug', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    const q = await questionnaires.get(null, slug, version);
    res.render('questionnaires/show', toPreviewView(q, 'preview'));
  });

  /** GET /questionnaires/:slug/print?version=N — a blank copy to print for a workshop */
  router.get('/questionnaires/:slug/print', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    const q = await questionnaires.get(null, slug, version);
    res.render('questionnaires/print', { ...toPreviewView(q, 'print'), layout: 'print' });
  });

  return router;
}
