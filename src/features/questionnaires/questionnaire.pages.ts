import { Router } from 'express';
import { formBody, formFailure } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { ValidationError } from '../../shared/errors';
import { toFields, type FormErrors } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import { assertRole, hasRole } from '../workspaces';
import { LibraryQuery, QuestionnaireParams, QuestionnaireQuery } from './questionnaire.schemas';
import type { QuestionnaireService } from './questionnaire.service';
import {
  fileUrl,
  questionnaireUrl,
  toLibraryView,
  toPreviewView,
} from './questionnaire.view-model';

export function createQuestionnairePagesRouter({
  questionnaires,
  editor,
}: {
  questionnaires: QuestionnaireService;
  /** The editor's pages: first, so its fixed paths (/questionnaires/start) precede /:slug. */
  editor: Router;
}): Router {
  const router = Router();
  router.use(editor);

  const scope = (res: { locals: { actor?: { workspaceId: string } } }) =>
    res.locals.actor?.workspaceId ?? null;

  /** GET /questionnaires[?archived=true] — the library: built-ins, and the workspace's own */
  router.get('/questionnaires', async (req, res) => {
    const showArchived = parseInput(LibraryQuery, req.query).archived === 'true';
    res.render('questionnaires/list', {
      ...toLibraryView(
        await questionnaires.list(scope(res), { includeArchived: showArchived }),
        showArchived,
      ),
      canUpload: res.locals.actor ? hasRole(res.locals.actor.role, 'coach') : false,
    });
  });

  const renderUpload = (
    res: Parameters<Parameters<Router['get']>[1]>[1],
    values: Record<string, string>,
    failure?: { status: number; errors: FormErrors },
  ) =>
    res.status(failure?.status ?? 200).render('questionnaires/new', {
      title: 'Add a questionnaire',
      fields: toFields(
        [
          {
            name: 'definition',
            label: 'Questionnaire definition (JSON)',
            multiline: true,
            rows: 18,
            required: true,
            hint: 'Paste a definition in the documented format. A changed slug that exists already becomes its next version.',
          },
        ],
        { values, errors: failure?.errors },
      ),
      errors: failure?.errors,
    });

  /** GET /questionnaires/new — coach: paste a definition */
  router.get('/questionnaires/new', requireLogin, (_req, res) => {
    assertRole(pageActor(res), 'coach');
    renderUpload(res, {});
  });

  /** POST /questionnaires/new — validate and store it, or show every problem with its path */
  router.post('/questionnaires/new', requireLogin, async (req, res) => {
    const actor = pageActor(res);
    assertRole(actor, 'coach');
    const text = String(formBody(req).definition ?? '');
    try {
      let definition: unknown;
      try {
        definition = JSON.parse(text);
      } catch {
        throw new ValidationError([{ path: 'definition', message: 'This is not valid JSON.' }]);
      }
      const { questionnaire, outcome } = await questionnaires.saveVersion(
        actor.workspaceId,
        definition,
      );
      req.session.flash =
        outcome === 'unchanged'
          ? 'Nothing changed: this definition is stored already.'
          : `Saved as version ${questionnaire.definition.version}.`;
      res.redirect(
        303,
        questionnaireUrl(questionnaire.definition.slug, questionnaire.definition.version),
      );
    } catch (err) {
      const failure = formFailure(err, res, ['definition']);
      if (!failure) throw err;
      // Each problem of the definition names its path inside the JSON, not a form field.
      const errors = {
        summary:
          err instanceof ValidationError && err.details?.[0]?.path !== 'definition'
            ? (err.details ?? []).map((d) => ({ message: `${d.path}: ${d.message}`, href: null }))
            : failure.errors.summary,
        byField: { definition: 'The definition has problems: see the list above.' },
      };
      renderUpload(res, { definition: text }, { status: failure.status, errors });
    }
  });

  /** GET /questionnaires/:slug?version=N — read-only preview, as a respondent sees it */
  router.get('/questionnaires/:slug', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    const q = await questionnaires.get(scope(res), slug, version);
    const actor = res.locals.actor;
    const coach = actor ? hasRole(actor.role, 'coach') : false;
    const canEdit = coach && !q.builtin;
    const base = `/questionnaires/${encodeURIComponent(slug)}`;
    res.render('questionnaires/show', {
      ...toPreviewView(q, 'preview'),
      // Viewers preview; coaches edit their workspace's questionnaires and fork any.
      canEdit,
      canFork: coach,
      archived: q.archived,
      // Deleting is offered only while no round needs the questionnaire; archiving always.
      canDelete: canEdit && actor ? !(await questionnaires.inUse(actor.workspaceId, slug)) : false,
      editUrl: `${base}/edit`,
      forkUrl: `${base}/fork`,
      versionsUrl: `${base}/versions`,
      fileUrl: fileUrl(slug, q.definition.version),
      baseUrl: base,
    });
  });

  /** GET /questionnaires/:slug/file?version=N — the version as its JSON file, to share */
  router.get('/questionnaires/:slug/file', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    const file = await questionnaires.exportFile(scope(res), slug, version);
    res.attachment(file.filename).type('application/json').send(file.text);
  });

  /** POST /questionnaires/:slug/archive | unarchive | delete — coach, the workspace's own */
  const changes = {
    archive: {
      act: questionnaires.archive,
      done: 'The questionnaire has been archived: new rounds no longer offer it.',
    },
    unarchive: { act: questionnaires.unarchive, done: 'The questionnaire has been restored.' },
    delete: {
      act: (workspaceId: string, slug: string) => questionnaires.remove(workspaceId, slug),
      done: 'The questionnaire has been deleted.',
    },
  } as const;
  for (const [action, { act, done }] of Object.entries(changes)) {
    router.post(`/questionnaires/:slug/${action}`, requireLogin, async (req, res) => {
      const actor = pageActor(res);
      assertRole(actor, 'coach');
      const { slug } = parseInput(QuestionnaireParams, req.params);
      await act(actor.workspaceId, slug);
      req.session.flash = done;
      res.redirect(303, action === 'delete' ? '/questionnaires' : questionnaireUrl(slug));
    });
  }

  /** GET /questionnaires/:slug/print?version=N — a blank copy to print for a workshop */
  router.get('/questionnaires/:slug/print', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    const q = await questionnaires.get(scope(res), slug, version);
    res.render('questionnaires/print', { ...toPreviewView(q, 'print'), layout: 'print' });
  });

  return router;
}
