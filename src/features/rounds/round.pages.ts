import { Router } from 'express';
import { AppError } from '../../shared/errors';
import { formBody, formFailure } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { keptValues } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import { assertRole, hasRole, type Actor } from '../workspaces';
import { participationOf, participationText } from './participation';
import { RoundIdParams } from './round.schemas';
import type { RoundService } from './round.service';
import {
  ROUND_FIELDS,
  roundEditFromForm,
  roundInputFromForm,
  roundUrl,
  toInvitationCard,
  toEditRoundView,
  toNewRoundView,
  toRoundPage,
} from './round.view-model';

type Deps = Readonly<{
  rounds: RoundService;
  /** Where people reach the service (config BASE_URL): the respondent link starts with it. */
  baseUrl: string;
  teams: {
    list: (actor: Actor) => Promise<readonly { id: string; name: string }[]>;
  };
  questionnaires: {
    list: (
      workspaceId: string | null,
    ) => Promise<readonly { slug: string; title: string; version: number }[]>;
  };
}>;

/** The form's fields, named in errors as the form labels them. */
const FORM_FIELDS = [
  ...ROUND_FIELDS,
  { name: 'teamId', label: 'Team' },
  { name: 'questionnaire', label: 'Questionnaire' },
  { name: 'anonymity', label: 'Anonymity' },
  { name: 'access', label: 'Who can answer' },
];

/**
 * The forms ask for the closing day (closesOn); the service speaks of the moment (closesAt).
 * An error about the one is shown at the other, so it sits next to the field it is about.
 */
function onForm(err: unknown): unknown {
  if (!(err instanceof AppError) || !err.details) return err;
  const details = err.details.map((d) => (d.path === 'closesAt' ? { ...d, path: 'closesOn' } : d));
  return new AppError(err.status, err.code, err.message, details);
}

export function createRoundPagesRouter(deps: Deps): Router {
  const { rounds } = deps;
  const router = Router();
  router.use('/rounds', requireLogin);

  async function renderNew(
    res: Parameters<Parameters<Router['get']>[1]>[1],
    actor: Actor,
    values: Record<string, string>,
    failure?: {
      status: number;
      errors: NonNullable<Parameters<typeof toNewRoundView>[0]['errors']>;
    },
  ) {
    res.status(failure?.status ?? 200).render(
      'rounds/new',
      toNewRoundView({
        teams: await deps.teams.list(actor),
        questionnaires: await deps.questionnaires.list(actor.workspaceId),
        values,
        errors: failure?.errors,
        invitationsEnabled: rounds.invitationsEnabled,
      }),
    );
  }

  /** GET /rounds/new?teamId= — the form; a viewer is told, instead of filling it in vain */
  router.get('/rounds/new', async (req, res) => {
    const actor = pageActor(res);
    if (!hasRole(actor.role, 'coach')) {
      res.status(403).render('rounds/not-allowed', { title: 'Only coaches start rounds' });
      return;
    }
    const teamId = typeof req.query.teamId === 'string' ? req.query.teamId : '';
    await renderNew(res, actor, { teamId });
  });

  /** POST /rounds/new — create a draft round */
  router.post('/rounds/new', async (req, res) => {
    const actor = pageActor(res);
    try {
      const round = await rounds.create(actor, roundInputFromForm(formBody(req)));
      req.session.flash = 'The round has been created as a draft. Open it when the team is ready.';
      res.redirect(303, roundUrl(round.id));
    } catch (err) {
      const failure = formFailure(onForm(err), res, FORM_FIELDS);
      if (!failure) throw err;
      await renderNew(res, actor, keptValues(formBody(req)), failure);
    }
  });

  /** GET /rounds/:roundId/edit — correct the title or the closing date */
  router.get('/rounds/:roundId/edit', async (req, res) => {
    const actor = pageActor(res);
    assertRole(actor, 'coach');
    const { roundId } = parseInput(RoundIdParams, req.params);
    const round = await rounds.get(actor, roundId);
    res.render('rounds/edit', toEditRoundView({ round, status: rounds.effectiveStatus(round) }));
  });

  /** POST /rounds/:roundId/edit */
  router.post('/rounds/:roundId/edit', async (req, res) => {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    try {
      await rounds.update(actor, roundId, roundEditFromForm(formBody(req)));
      req.session.flash = 'The round has been saved.';
      res.redirect(303, roundUrl(roundId));
    } catch (err) {
      const failure = formFailure(onForm(err), res, ROUND_FIELDS);
      if (!failure) throw err;
      const round = await rounds.get(actor, roundId);
      res.status(failure.status).render(
        'rounds/edit',
        toEditRoundView({
          round,
          status: rounds.effectiveStatus(round),
          values: keptValues(formBody(req)),
          errors: failure.errors,
        }),
      );
    }
  });

  /** GET /rounds/:roundId — status, link, actions */
  router.get('/rounds/:roundId', async (req, res) => {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    const [counted] = await rounds.withCounts(actor, [await rounds.get(actor, roundId)]);
    const { round } = counted!;
    res.render(
      'rounds/show',
      toRoundPage({
        ...counted!,
        teamUrl: `/teams/${encodeURIComponent(round.teamId)}`,
        role: actor.role,
        origin: deps.baseUrl,
      }),
    );
  });

  /** GET /rounds/:roundId/qr.svg — the respondent link as a QR code, for the round page */
  router.get('/rounds/:roundId/qr.svg', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { svg } = await rounds.linkQr(pageActor(res), roundId);
    res.type('image/svg+xml').set('Cache-Control', 'private, no-store').send(svg);
  });

  /** GET /rounds/:roundId/card — a printable invitation card: the link, its QR code, what to expect */
  router.get('/rounds/:roundId/card', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { round, link, svg } = await rounds.linkQr(pageActor(res), roundId);
    res.render(
      'rounds/card',
      toInvitationCard({ round, status: rounds.effectiveStatus(round), link, svg }),
    );
  });

  /**
   * What each status change does. Those that cannot be taken back first show what they do and
   * ask again (a second POST with confirm=yes), so that works without JavaScript too.
   */
  const actions: Record<
    string,
    {
      /** Does it; answers a path to go to next when not the round's page (a deleted round). */
      run: (actor: Actor, roundId: string) => Promise<unknown>;
      done: string;
      confirm?: { heading: string; explanation: string[]; button: string };
    }
  > = {
    open: { run: rounds.open, done: 'The round is open: share the link with the team.' },
    close: {
      run: rounds.close,
      done: 'The round is closed: no more answers are accepted.',
      confirm: {
        heading: 'Close this round?',
        explanation: [
          'Nobody can answer or change an answer after this, and a closed round cannot be opened again.',
          'Every answer given so far is kept and counts in the report.',
        ],
        button: 'Close the round',
      },
    },
    'rotate-link': {
      run: (actor: Actor, roundId: string) => rounds.rotateLink(actor, roundId),
      done: 'The round has a new link. The old link no longer works.',
      confirm: {
        heading: 'Replace the link of this round?',
        explanation: [
          'The current link stops working at once: everyone who has not answered yet needs the new one.',
          'Answers given so far are kept, and people can still change theirs from the browser they answered in.',
        ],
        button: 'Make a new link',
      },
    },
    delete: {
      run: async (actor: Actor, roundId: string) => {
        const { teamId } = await rounds.get(actor, roundId);
        await rounds.remove(actor, roundId);
        return `/teams/${encodeURIComponent(teamId)}`;
      },
      done: 'The draft round has been deleted.',
      confirm: {
        heading: 'Delete this draft round?',
        explanation: [
          'The draft and its settings are deleted; this cannot be undone.',
          'A draft takes no answers, so none is lost. An open round cannot be deleted: close it instead.',
        ],
        button: 'Delete the draft',
      },
    },
  };
  for (const [action, { run, done, confirm }] of Object.entries(actions)) {
    /** POST /rounds/:roundId/open | close | rotate-link | delete (all but open: confirm=yes) */
    router.post(`/rounds/:roundId/${action}`, async (req, res) => {
      const { roundId } = parseInput(RoundIdParams, req.params);
      const actor = pageActor(res);
      if (confirm && formBody(req).confirm !== 'yes') {
        assertRole(actor, 'coach');
        const [counted] = await rounds.withCounts(actor, [await rounds.get(actor, roundId)]);
        const { round, responseCount, expectedSize, teamName } = counted!;
        const participation = participationOf({
          ...round,
          n: responseCount,
          expected: expectedSize,
        });
        res.render('rounds/confirm', {
          title: confirm.heading,
          ...confirm,
          roundTitle: `${teamName}: ${round.title}`,
          answered: `${participationText(participation)} so far.`,
          action: `${roundUrl(roundId)}/${action}`,
          backUrl: roundUrl(roundId),
        });
        return;
      }
      const next = await run(actor, roundId);
      req.session.flash = done;
      res.redirect(303, typeof next === 'string' ? next : roundUrl(roundId));
    });
  }

  return router;
}
