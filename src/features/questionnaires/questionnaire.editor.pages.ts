import { Router, type Response } from 'express';
import {
  AppError,
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors';
import { formBody, formFailure } from '../../shared/http/forms';
import { humanMessage, parseInput, toFieldIssues } from '../../shared/http/validate';
import { toFields, type FormErrors } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import { assertRole, type Actor } from '../workspaces';
import type { QuestionnaireDraftRepository } from './questionnaire-draft.repository';
import {
  applyOp,
  blankDraft,
  fromDefinition,
  fromForm,
  parseOp,
  toDefinitionInput,
  toEditorDraft,
  type EditorDraft,
} from './questionnaire.editor';
import { sideBySide, toEditorView } from './questionnaire.editor-view';
import { isEdited } from './questionnaire.lineage';
import {
  DiffQuery,
  ForkBody,
  ITEM_CHANGES,
  QuestionnaireDefinition,
  QuestionnaireParams,
  Slug,
} from './questionnaire.schemas';
import type { QuestionnaireService } from './questionnaire.service';
import type { QuestionnaireVersion } from './questionnaire.types';
import { fileUrl, printUrl, questionnaireUrl, toSectionsView } from './questionnaire.view-model';

const editUrl = (slug: string) => `/questionnaires/${encodeURIComponent(slug)}/edit`;
const versionsUrl = (slug: string) => `/questionnaires/${encodeURIComponent(slug)}/versions`;
const publishUrl = (slug: string) => `/questionnaires/${encodeURIComponent(slug)}/publish`;

const STATUS_WORDS = {
  added: 'Added',
  removed: 'Removed',
  same: 'Unchanged',
  reworded: 'Reworded: only the words changed (comparable)',
  changed: 'Changed: the meaning changed (not comparable)',
} as const;

const PageDiffQuery = DiffQuery.extend({
  fromSlug: Slug.optional().describe('The slug of `from`, when it is a fork’s origin'),
}).strict();

/**
 * The questionnaire editor in the browser: "Make it ours" (a fork), a new blank questionnaire,
 * the editor itself (a server-rendered form whose every button is a submit button, so it works
 * without JavaScript), drafts, publishing with the lineage question, versions and the diff.
 */
export function createQuestionnaireEditorRouter({
  questionnaires,
  drafts,
  clock,
}: {
  questionnaires: QuestionnaireService;
  drafts: QuestionnaireDraftRepository;
  clock: () => Date;
}): Router {
  const router = Router();

  const coach = (res: Response): Actor => {
    const actor = pageActor(res);
    assertRole(actor, 'coach');
    return actor;
  };

  /**
   * The draft of a workspace questionnaire: the stored draft, else its latest version. Built-in
   * questionnaires and other workspaces' are not editable here: 404, as for anything unseen.
   */
  async function editable(workspaceId: string, slug: string) {
    const stored = await drafts.find(workspaceId, slug);
    const notFound = new NotFoundError(
      'QUESTIONNAIRE_NOT_FOUND',
      `There is no questionnaire "${slug}" of your workspace to edit.`,
    );
    let latest: QuestionnaireVersion | null;
    try {
      latest = await questionnaires.get(workspaceId, slug);
    } catch (err) {
      if (err instanceof NotFoundError && stored) latest = null;
      else if (err instanceof NotFoundError) throw notFound;
      else throw err;
    }
    if (latest?.builtin) throw notFound;
    return {
      // Without a stored draft there is a latest version (else notFound was thrown above).
      draft: latest && !stored ? fromDefinition(latest.definition) : toEditorDraft(stored?.draft),
      savedAt: stored?.updatedAt ?? null,
      latest,
    };
  }

  const renderEditor = (
    res: Response,
    slug: string,
    state: Awaited<ReturnType<typeof editable>>,
    draft: EditorDraft,
    options: { status?: number; issues?: readonly FieldIssue[]; focus?: string } = {},
  ) =>
    res.status(options.status ?? 200).render('questionnaires/edit', {
      title: `Edit ${draft.title || slug}`,
      slug,
      action: editUrl(slug),
      savedAt: state.savedAt?.toISOString().slice(0, 16).replace('T', ' '),
      latestVersion: state.latest?.definition.version ?? null,
      previewUrl: state.latest ? questionnaireUrl(slug) : null,
      printUrl: state.latest ? printUrl(slug, state.latest.definition.version) : null,
      versionsUrl: state.latest ? versionsUrl(slug) : null,
      ...toEditorView(draft, options),
    });

  /** The form of a new questionnaire's name: for a fork and for a blank one. */
  const renderNameForm = (
    res: Response,
    view: { title: string; lead: string; action: string; submit: string },
    values: Record<string, string>,
    failure?: { status: number; errors: FormErrors },
  ) =>
    res.status(failure?.status ?? 200).render('questionnaires/name', {
      ...view,
      fields: toFields(
        [
          {
            name: 'slug',
            label: 'Short name for addresses (slug)',
            hint: 'Lower-case letters, digits and hyphens, e.g. "our-tensions".',
            required: true,
            maxlength: 64,
          },
          { name: 'title', label: 'Title', required: true, maxlength: 120 },
        ],
        { values, errors: failure?.errors },
      ),
      errors: failure?.errors,
    });

  const startView = {
    title: 'Start a new questionnaire',
    lead: 'It starts with one part holding one tension; the editor adds the rest.',
    action: '/questionnaires/start',
    submit: 'Start editing',
  };

  /** GET /questionnaires/start — coach: name a new, blank questionnaire */
  router.get('/questionnaires/start', requireLogin, (_req, res) => {
    coach(res);
    renderNameForm(res, startView, {});
  });

  /** POST /questionnaires/start — store the blank draft and open the editor on it */
  router.post('/questionnaires/start', requireLogin, async (req, res) => {
    const actor = coach(res);
    const body = formBody(req);
    try {
      const { slug, title } = parseInput(ForkBody, body);
      const exists = await questionnaires.get(actor.workspaceId, slug).then(
        () => true,
        (err: unknown) => {
          if (err instanceof NotFoundError) return false;
          throw err;
        },
      );
      if (exists || (await drafts.find(actor.workspaceId, slug))) {
        const message = `"${slug}" is taken; choose another slug.`;
        throw new AppError(409, 'QUESTIONNAIRE_SLUG_TAKEN', message, [{ path: 'slug', message }]);
      }
      await drafts.save(actor.workspaceId, slug, blankDraft(slug, title), clock());
      res.redirect(303, editUrl(slug));
    } catch (err) {
      const failure = formFailure(err, res, ['slug', 'title']);
      if (!failure) throw err;
      renderNameForm(res, startView, body, failure);
    }
  });

  const forkView = (slug: string, title: string) => ({
    title: `Make “${title}” ours`,
    lead: 'A copy in your workspace that you can edit. Its questions keep their ids, so reports compare answers to them with answers to the original, as long as an edit only rewords them.',
    action: `/questionnaires/${encodeURIComponent(slug)}/fork`,
    submit: 'Make it ours',
  });

  /** GET /questionnaires/:slug/fork — coach: name the workspace's copy */
  router.get('/questionnaires/:slug/fork', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const q = await questionnaires.get(actor.workspaceId, slug);
    renderNameForm(res, forkView(slug, q.definition.title), {
      slug: `${slug}-ours`.slice(0, 64),
      title: `${q.definition.title} (ours)`.slice(0, 120),
    });
  });

  /** POST /questionnaires/:slug/fork — fork it and open the editor on the fork */
  router.post('/questionnaires/:slug/fork', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const origin = await questionnaires.get(actor.workspaceId, slug);
    const body = formBody(req);
    try {
      const fork = await questionnaires.fork(actor.workspaceId, slug, body);
      req.session.flash = `“${fork.definition.title}” is yours to edit.`;
      res.redirect(303, editUrl(fork.definition.slug));
    } catch (err) {
      const failure = formFailure(err, res, ['slug', 'title']);
      if (!failure) throw err;
      // The slug errors of the service name no field: they are about the slug.
      const errors =
        err instanceof ConflictError && !err.details?.length
          ? { ...failure.errors, byField: { slug: err.message } }
          : failure.errors;
      renderNameForm(res, forkView(slug, origin.definition.title), body, { ...failure, errors });
    }
  });

  /** GET /questionnaires/:slug/edit — the editor, on the saved draft or the latest version */
  router.get('/questionnaires/:slug/edit', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const state = await editable(actor.workspaceId, slug);
    renderEditor(res, slug, state, state.draft);
  });

  /** POST /questionnaires/:slug/edit — a button of the editor: an edit, save, preview, publish */
  router.post('/questionnaires/:slug/edit', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const state = await editable(actor.workspaceId, slug);
    const body = formBody(req);
    const draft = fromForm(body, slug);
    // Every button names its op (Enter presses the hidden "Save draft"): a form without one
    // was not sent by the editor.
    const op = parseOp(body.op);
    if (!op)
      throw new ValidationError([{ path: 'op', message: 'Press one of the editor’s buttons.' }]);
    const save = () => drafts.save(actor.workspaceId, slug, draft, clock());
    switch (op.verb) {
      case 'save':
        await save();
        req.session.flash = 'Draft saved.';
        return res.redirect(303, editUrl(slug));
      case 'discard':
        await drafts.remove(actor.workspaceId, slug);
        req.session.flash = 'Draft discarded.';
        return res.redirect(303, state.latest ? editUrl(slug) : '/questionnaires');
      case 'preview': {
        const parsed = QuestionnaireDefinition.safeParse(
          { ...toDefinitionInput(draft), version: 1 },
          { error: humanMessage },
        );
        if (!parsed.success)
          return renderEditor(res, slug, state, draft, {
            status: 400,
            issues: toFieldIssues(parsed.error.issues),
          });
        await save();
        return res.redirect(303, `${editUrl(slug)}/preview`);
      }
      case 'publish': {
        await save();
        try {
          const { questionnaire } = await questionnaires.saveVersion(
            actor.workspaceId,
            toDefinitionInput(draft),
          );
          await drafts.remove(actor.workspaceId, slug);
          req.session.flash = `Published as version ${questionnaire.definition.version}.`;
          return res.redirect(303, versionsUrl(slug));
        } catch (err) {
          // Only the lineage question is left: ask it on its own page.
          if (
            err instanceof ValidationError &&
            err.details?.every((d) => d.path.startsWith('lineage.'))
          )
            return res.redirect(303, publishUrl(slug));
          const failure = formFailure(err, res, []);
          if (!failure) throw err;
          return renderEditor(res, slug, state, draft, {
            status: failure.status,
            issues:
              err instanceof ValidationError
                ? (err.details ?? [])
                : failure.errors.summary.map((s) => ({ path: '', message: s.message })),
          });
        }
      }
      default: {
        const applied = applyOp(draft, op);
        return renderEditor(res, slug, state, applied?.draft ?? draft, { focus: applied?.focus });
      }
    }
  });

  /** GET /questionnaires/:slug/edit/preview — the saved draft as a respondent will see it */
  router.get('/questionnaires/:slug/edit/preview', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { draft } = await editable(actor.workspaceId, slug);
    const parsed = QuestionnaireDefinition.safeParse({ ...toDefinitionInput(draft), version: 1 });
    if (!parsed.success) return res.redirect(303, editUrl(slug));
    res.render('questionnaires/draft-preview', {
      title: `Preview: ${parsed.data.title}`,
      slug,
      editUrl: editUrl(slug),
      summary: parsed.data.summary,
      sections: toSectionsView(parsed.data, { disabled: true, expandHelp: false }),
    });
  });

  /** GET /questionnaires/:slug/edit/print — the saved draft as a blank copy to print */
  router.get('/questionnaires/:slug/edit/print', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { draft } = await editable(actor.workspaceId, slug);
    const parsed = QuestionnaireDefinition.safeParse({ ...toDefinitionInput(draft), version: 1 });
    if (!parsed.success) return res.redirect(303, editUrl(slug));
    res.render('questionnaires/print', {
      title: parsed.data.title,
      summary: parsed.data.summary,
      draft: true,
      sections: toSectionsView(parsed.data, { disabled: false, expandHelp: true }),
      layout: 'print',
    });
  });

  /** The items the saved draft edits relative to the version it is made from, old and new. */
  async function editedItems(workspaceId: string, slug: string) {
    const { draft, savedAt } = await editable(workspaceId, slug);
    if (!savedAt)
      throw new NotFoundError(
        'QUESTIONNAIRE_DRAFT_NOT_FOUND',
        `There is no draft of "${slug}" to publish: open the editor and press Publish.`,
      );
    const input = toDefinitionInput(draft);
    const parsed = QuestionnaireDefinition.safeParse({ ...input, version: 1 });
    const previous = await questionnaires.previousItems(workspaceId, slug);
    if (!parsed.success || !previous) return { input, items: [] };
    const before = new Map(previous.map((i) => [i.id, i]));
    const items = parsed.data.sections
      .flatMap((s) => s.items)
      .flatMap((item) => {
        const old = before.get(item.id);
        if (!old || !isEdited(old, item)) return [];
        // The first row names the question; the others are what the edit changed.
        const rows = sideBySide(old, item).filter((row, i) => i === 0 || row.differs);
        return [{ id: item.id, rows }];
      });
    return { input, items };
  }

  const renderPublish = async (
    res: Response,
    slug: string,
    workspaceId: string,
    chosen: Record<string, string>,
    issues?: readonly FieldIssue[],
  ) => {
    const { items } = await editedItems(workspaceId, slug);
    if (items.length === 0) return res.redirect(303, editUrl(slug));
    const byField = Object.fromEntries((issues ?? []).map((i) => [i.path, i.message]));
    res.status(issues ? 400 : 200).render('questionnaires/publish', {
      title: 'Publish: what did each edit do?',
      action: publishUrl(slug),
      editUrl: editUrl(slug),
      errors: issues && {
        summary: issues.map((i) => ({
          message: i.message,
          href: i.path.startsWith('lineage.') ? `#lineage-${i.path.slice(8)}` : null,
        })),
      },
      items: items.map((item, n) => ({
        ...item,
        number: n + 1,
        error: byField[`lineage.${item.id}`],
        choices: ITEM_CHANGES.map((change) => ({
          value: change,
          id: `lineage-${item.id}-${change}`,
          name: `lineage.${item.id}`,
          checked: chosen[`lineage.${item.id}`] === change,
          label:
            change === 'reworded'
              ? 'Only its words changed: answers stay comparable'
              : 'Its meaning changed: answers are not comparable with earlier ones',
        })),
      })),
    });
  };

  /** GET /questionnaires/:slug/publish — for each edited question: meaning or only words? */
  router.get('/questionnaires/:slug/publish', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    await renderPublish(res, slug, actor.workspaceId, {});
  });

  /** POST /questionnaires/:slug/publish — publish the saved draft with the answers as lineage */
  router.post('/questionnaires/:slug/publish', requireLogin, async (req, res) => {
    const actor = coach(res);
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const body = formBody(req);
    const { input } = await editedItems(actor.workspaceId, slug);
    const lineage = Object.fromEntries(
      Object.entries(body).flatMap(([k, v]) => (k.startsWith('lineage.') ? [[k.slice(8), v]] : [])),
    );
    try {
      const { questionnaire } = await questionnaires.saveVersion(actor.workspaceId, {
        ...input,
        lineage,
      });
      await drafts.remove(actor.workspaceId, slug);
      req.session.flash = `Published as version ${questionnaire.definition.version}.`;
      res.redirect(303, versionsUrl(slug));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const issues = err.details ?? [];
      // Anything but the lineage is the editor's to show, at its fields.
      if (!issues.every((i) => i.path.startsWith('lineage')))
        return res.redirect(303, editUrl(slug));
      await renderPublish(res, slug, actor.workspaceId, body, issues);
    }
  });

  /** GET /questionnaires/:slug/versions — every version, with what each did to its items */
  router.get('/questionnaires/:slug/versions', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const workspaceId = res.locals.actor?.workspaceId ?? null;
    const versions = await questionnaires.versions(workspaceId, slug);
    res.render('questionnaires/versions', {
      title: `Versions of ${versions[versions.length - 1]?.title ?? slug}`,
      slug,
      showUrl: questionnaireUrl(slug),
      versions: [...versions].reverse().map((v) => {
        const from = v.version > 1 ? { slug, version: v.version - 1 } : v.derivedFrom;
        return {
          version: v.version,
          title: v.title,
          createdAt: v.createdAt.toISOString().slice(0, 10),
          locked: v.locked,
          url: questionnaireUrl(slug, v.version),
          printUrl: printUrl(slug, v.version),
          fileUrl: fileUrl(slug, v.version),
          derivedFrom: v.derivedFrom,
          edits: Object.entries(v.lineage).map(([id, change]) => ({ id, change })),
          diffUrl: from
            ? `/questionnaires/${encodeURIComponent(slug)}/diff?from=${from.version}&to=${v.version}${from.slug === slug ? '' : `&fromSlug=${encodeURIComponent(from.slug)}`}`
            : null,
        };
      }),
    });
  });

  /** GET /questionnaires/:slug/diff?from=&to=[&fromSlug=] — two versions side by side */
  router.get('/questionnaires/:slug/diff', async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { from, to, fromSlug } = parseInput(PageDiffQuery, req.query);
    const workspaceId = res.locals.actor?.workspaceId ?? null;
    const diff = await questionnaires.diff(workspaceId, slug, from, to, fromSlug ?? slug);
    res.render('questionnaires/diff', {
      title: 'Compare two versions',
      lead: `From ${fromSlug ?? slug} version ${from} to ${slug} version ${to}: per question, whether answers to both can be compared.`,
      slug,
      fromLabel: fromSlug && fromSlug !== slug ? `Origin v${from}` : `v${from}`,
      toLabel: `v${to}`,
      versionsUrl: versionsUrl(slug),
      items: diff.items.map((item) => ({
        id: item.id,
        status: item.status,
        statusText: STATUS_WORDS[item.status],
        // An unchanged question needs no table: its heading says so.
        rows: item.status === 'same' ? [] : sideBySide(item.from, item.to),
      })),
    });
  });

  return router;
}
