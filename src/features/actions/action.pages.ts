import { Router, type Response } from 'express';
import { formBody, formFailure } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { keptValues, type FormErrors } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import { teamUrl } from '../teams';
import { hasRole } from '../workspaces';
import { actionsFile } from './action.csv';
import { ActionIdParams, NewActionQuery, TeamActionsParams } from './action.schemas';
import type { ActionService } from './action.service';
import {
  ACTION_FIELDS,
  actionFormValues,
  actionInputFromForm,
  roundReportUrl,
  toEditActionView,
  toNewActionView,
} from './action.view-model';

/** The forms' fields, named in errors as the forms label them. */
const CHOICES = {
  sourceRoundId: { name: 'sourceRoundId', label: 'From the round' },
  itemId: { name: 'itemId', label: 'On the item' },
  pole: { name: 'pole', label: 'Move towards' },
  status: { name: 'status', label: 'Status' },
};
const CREATE_FIELDS = [CHOICES.sourceRoundId, CHOICES.itemId, CHOICES.pole, ...ACTION_FIELDS];
const UPDATE_FIELDS = [...ACTION_FIELDS, CHOICES.status, CHOICES.pole];
const namesOf = (fields: readonly { name: string }[]) => fields.map((f) => f.name);

/**
 * Actions on pages: agreed from a report's item or from the team page, edited, marked done or
 * dropped, deleted; every form works without JavaScript and posts back to its own page.
 */
export function createActionPagesRouter({ actions }: { actions: ActionService }): Router {
  const router = Router();
  router.use(['/teams/:teamId/actions', '/teams/:teamId/actions.csv', '/actions'], requireLogin);

  async function renderNew(
    res: Response,
    teamId: string,
    form: { values: Record<string, string>; errors?: FormErrors },
    status = 200,
  ) {
    const actor = pageActor(res);
    const choices = await actions.choices(actor, teamId, form.values.sourceRoundId);
    res.status(status).render('actions/new', toNewActionView({ ...choices, ...form }));
  }

  /** GET /teams/:teamId/actions/new?round=&item= — the form, from a report's item or the team */
  router.get('/teams/:teamId/actions/new', async (req, res) => {
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const query = NewActionQuery.safeParse(req.query);
    const from = query.success ? query.data : {};
    await renderNew(res, teamId, {
      values: {
        sourceRoundId: from.round ?? '',
        itemId: from.item ?? '',
        from: from.round ? 'report' : 'team',
      },
    });
  });

  /** POST /teams/:teamId/actions — agree an action; back to where the coach came from */
  router.post('/teams/:teamId/actions', async (req, res) => {
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const body = formBody(req);
    try {
      const action = await actions.create(
        pageActor(res),
        teamId,
        actionInputFromForm(body, namesOf(CREATE_FIELDS)),
      );
      req.session.flash = `Action agreed: “${action.title}”.`;
      res.redirect(
        303,
        body.from === 'report'
          ? `${roundReportUrl(action.sourceRoundId)}${action.itemId ? `#item-${encodeURIComponent(action.itemId)}` : '#actions-agreed'}`
          : `${teamUrl(teamId)}#actions`,
      );
    } catch (err) {
      const failure = formFailure(err, res, CREATE_FIELDS);
      if (!failure) throw err;
      await renderNew(
        res,
        teamId,
        { values: keptValues(body), errors: failure.errors },
        failure.status,
      );
    }
  });

  /** GET /teams/:teamId/actions.csv — the team's actions for a spreadsheet */
  router.get('/teams/:teamId/actions.csv', async (req, res) => {
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const file = await actionsFile(actions, pageActor(res), teamId);
    res.attachment(file.fileName).type('text/csv; charset=utf-8').send(file.body);
  });

  async function renderEdit(
    res: Response,
    actionId: string,
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
    status = 200,
  ) {
    const actor = pageActor(res);
    const described = await actions.describeOne(actor, actionId);
    const team = await actions.teamOf(actor, described.action.teamId);
    res.status(status).render(
      'actions/show',
      toEditActionView({
        described,
        teamName: team.name,
        today: actions.today(),
        canEdit: hasRole(actor.role, 'coach'),
        values: form.values ?? actionFormValues(described.action),
        errors: form.errors,
      }),
    );
  }

  /** GET /actions/:actionId — the action; coaches edit it here */
  router.get('/actions/:actionId', async (req, res) => {
    const { actionId } = parseInput(ActionIdParams, req.params);
    await renderEdit(res, actionId);
  });

  /** POST /actions/:actionId — save changes (status included) */
  router.post('/actions/:actionId', async (req, res) => {
    const { actionId } = parseInput(ActionIdParams, req.params);
    const body = formBody(req);
    try {
      const action = await actions.update(
        pageActor(res),
        actionId,
        actionInputFromForm(body, namesOf(UPDATE_FIELDS)),
      );
      req.session.flash = 'The action has been saved.';
      res.redirect(303, `${teamUrl(action.teamId)}#actions`);
    } catch (err) {
      const failure = formFailure(err, res, UPDATE_FIELDS);
      if (!failure) throw err;
      await renderEdit(
        res,
        actionId,
        { values: keptValues(body), errors: failure.errors },
        failure.status,
      );
    }
  });

  /** POST /actions/:actionId/delete */
  router.post('/actions/:actionId/delete', async (req, res) => {
    const { actionId } = parseInput(ActionIdParams, req.params);
    const action = await actions.remove(pageActor(res), actionId);
    req.session.flash = `Action deleted: “${action.title}”.`;
    res.redirect(303, `${teamUrl(action.teamId)}#actions`);
  });

  return router;
}
