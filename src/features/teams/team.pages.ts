import { Router } from 'express';
import { formBody, formFailure, splitList } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { keptValues, type FormErrors } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import { assertRole, hasRole, type Actor } from '../workspaces';
import { TeamIdParams } from './team.schemas';
import type { TeamService } from './team.service';
import type { Team } from './team.types';
import { TEAM_FIELDS, teamFormValues, teamUrl, toTeamForm, toTeamSummary } from './team.view-model';

/** What the team page shows of its rounds (provided by the rounds feature). */
export type TeamRoundLister = (
  actor: Actor,
  teamId: string,
) => Promise<
  readonly {
    id: string;
    title: string;
    url: string;
    statusText: string;
    status: string;
    responseCount: number;
  }[]
>;

/** What the team page shows of its actions (provided by the actions feature). */
export type TeamActionLister = (
  actor: Actor,
  teamId: string,
) => Promise<
  readonly {
    id: string;
    url: string;
    title: string;
    status: string;
    overdue: boolean;
    owner: string | null;
    dueOn: string | null;
    itemText: string | null;
    poleText: string | null;
    sourceRound: { title: string; reportUrl: string };
  }[]
>;

/**
 * The team form's fields as the input the service validates, so pages and API share one
 * schema (the tags text becomes a list, the size a number). A field the form did not send
 * stays absent (an empty tags text is "no tags", a missing one is "no change"), so a body
 * without the form's fields is refused instead of clearing the tags.
 */
function teamInputFromForm(body: Record<string, unknown>) {
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    // Split only: the service's schema then says which limit a list breaks, as the API does.
    ...(typeof body.tags === 'string' ? { tags: tagsFromText(body.tags) } : {}),
    ...(body.expectedSize === undefined ? {} : { expectedSize: sizeFromForm(body.expectedSize) }),
    ...(typeof body.members === 'string' ? { members: splitList(body.members) } : {}),
  };
}

/** Tags from the form's one text field, comma-separated. */
function tagsFromText(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** An empty size field is "unknown"; a number stays a number; anything else fails the schema. */
function sizeFromForm(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export function createTeamPagesRouter({
  teams,
  roundsOf,
  actionsOf,
}: {
  teams: TeamService;
  roundsOf: TeamRoundLister;
  actionsOf: TeamActionLister;
}): Router {
  const router = Router();
  router.use('/teams', requireLogin);

  async function renderList(
    res: Parameters<Parameters<Router['get']>[1]>[1],
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
    status = 200,
  ) {
    const actor = pageActor(res);
    const all = await teams.list(actor, { includeArchived: true });
    res.status(status).render('teams/list', {
      title: 'Teams',
      canEdit: hasRole(actor.role, 'coach'),
      active: all.filter((t) => !t.archivedAt).map(toTeamSummary),
      archived: all.filter((t) => t.archivedAt).map(toTeamSummary),
      form: toTeamForm(form),
    });
  }

  /** GET /teams — the list and, for coaches, the form for a new team */
  router.get('/teams', async (_req, res) => {
    await renderList(res);
  });

  /** POST /teams — create a team */
  router.post('/teams', async (req, res) => {
    try {
      const team = await teams.create(pageActor(res), teamInputFromForm(formBody(req)));
      req.session.flash = `Team "${team.name}" created.`;
      res.redirect(303, teamUrl(team.id));
    } catch (err) {
      const failure = formFailure(err, res, TEAM_FIELDS);
      if (!failure) throw err;
      await renderList(
        res,
        { values: keptValues(formBody(req)), errors: failure.errors },
        failure.status,
      );
    }
  });

  async function renderTeam(
    res: Parameters<Parameters<Router['get']>[1]>[1],
    team: Team,
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
    status = 200,
  ) {
    const actor = pageActor(res);
    const [rounds, actions] = await Promise.all([
      roundsOf(actor, team.id),
      actionsOf(actor, team.id),
    ]);
    res.status(status).render('teams/show', {
      title: team.name,
      team: toTeamSummary(team),
      canEdit: hasRole(actor.role, 'coach'),
      rounds,
      actions: {
        open: actions.filter((a) => a.status === 'open'),
        closed: actions.filter((a) => a.status !== 'open'),
        any: actions.length > 0,
        newUrl: `/teams/${encodeURIComponent(team.id)}/actions/new`,
        csvUrl: `/teams/${encodeURIComponent(team.id)}/actions.csv`,
        hasBegunRound: rounds.some((r) => r.status !== 'draft'),
      },
      newRoundUrl: `/rounds/new?teamId=${encodeURIComponent(team.id)}`,
      form: toTeamForm({ values: form.values ?? teamFormValues(team), errors: form.errors }),
    });
  }

  /** GET /teams/:teamId — the team, its rounds, and the edit form */
  router.get('/teams/:teamId', async (req, res) => {
    const { teamId } = parseInput(TeamIdParams, req.params);
    await renderTeam(res, await teams.get(pageActor(res), teamId));
  });

  /** POST /teams/:teamId — rename and retag */
  router.post('/teams/:teamId', async (req, res) => {
    const { teamId } = parseInput(TeamIdParams, req.params);
    const actor = pageActor(res);
    try {
      await teams.update(actor, teamId, teamInputFromForm(formBody(req)));
      req.session.flash = 'The team has been saved.';
      res.redirect(303, teamUrl(teamId));
    } catch (err) {
      const failure = formFailure(err, res, TEAM_FIELDS);
      if (!failure) throw err;
      await renderTeam(
        res,
        await teams.get(actor, teamId),
        { values: keptValues(formBody(req)), errors: failure.errors },
        failure.status,
      );
    }
  });

  /**
   * GET /teams/:teamId/archive — what archiving does, the open rounds it closes among it, and
   * the button that does it (a page, so it asks first without JavaScript too)
   */
  router.get('/teams/:teamId/archive', async (req, res) => {
    const { teamId } = parseInput(TeamIdParams, req.params);
    const actor = pageActor(res);
    assertRole(actor, 'coach');
    const team = await teams.get(actor, teamId);
    const open = (await roundsOf(actor, team.id)).filter((r) => r.status === 'open');
    res.render('teams/archive', {
      title: `Archive ${team.name}?`,
      team: toTeamSummary(team),
      openRounds: open,
    });
  });

  /** POST /teams/:teamId/archive — archive (and close its open rounds), after the page above */
  router.post('/teams/:teamId/archive', async (req, res) => {
    const { teamId } = parseInput(TeamIdParams, req.params);
    const { closedRounds = [] } = await teams.update(pageActor(res), teamId, { archived: true });
    req.session.flash =
      closedRounds.length === 0
        ? 'The team has been archived.'
        : `The team has been archived, and its open ${closedRounds.length === 1 ? 'round' : 'rounds'} ${closedRounds.map((r) => `“${r.title}”`).join(', ')} closed.`;
    res.redirect(303, teamUrl(teamId));
  });

  /** POST /teams/:teamId/restore */
  router.post('/teams/:teamId/restore', async (req, res) => {
    const { teamId } = parseInput(TeamIdParams, req.params);
    await teams.update(pageActor(res), teamId, { archived: false });
    req.session.flash = 'The team has been restored.';
    res.redirect(303, teamUrl(teamId));
  });

  return router;
}
