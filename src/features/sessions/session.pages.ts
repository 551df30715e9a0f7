import { Router, type Response } from 'express';
import { formBody, formFailure } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { keptValues, type FormErrors } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import { RoundIdParams, type RoundService } from '../rounds';
import type { Actor } from '../workspaces';
import { PresenterParams } from './session.schemas';
import type { SessionService, SessionStatus } from './session.service';
import { toRoomView } from './session.room';

type Deps = Readonly<{
  sessions: SessionService;
  rounds: Pick<RoundService, 'linkOf'>;
}>;

const ACTION_FIELDS = [
  { name: 'title', label: 'What will the team do?' },
  { name: 'owner', label: 'Who' },
  { name: 'dueOn', label: 'Due' },
  { name: 'pole', label: 'Towards' },
];

const sessionUrl = (roundId: string) => `/rounds/${encodeURIComponent(roundId)}/session`;
const eventsUrl = (roundId: string, token: string) =>
  `/api/v1/rounds/${encodeURIComponent(roundId)}/session/events?presenter=${encodeURIComponent(token)}`;

/**
 * The shared screen of a live session (`/present/<token>`): no login and no session cookie, so
 * it is mounted before the page sessions, like the respondents' pages. No controls, no names.
 */
export function createPresenterPagesRouter({ sessions, rounds }: Deps): Router {
  const router = Router();

  /** GET /present/:token — the shared screen */
  router.get('/present/:token', async (req, res) => {
    const { token } = parseInput(PresenterParams, req.params);
    const status = await sessions.presenterStatus(token);
    const actor = sessions.presenterActor(status.session);
    const { link, svg } = await rounds.linkOf(status.round);
    // The link is in the address: it must not leave in a Referer, nor stay in a cache.
    res.set({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'private, no-store' });
    res.render('sessions/presenter', {
      layout: 'presenter',
      title: status.round.title,
      ...toRoomView(status, await sessions.stage(actor, status), {
        link,
        qrSvg: svg,
        eventsUrl: eventsUrl(status.round.id, token),
      }),
    });
  });

  return router;
}

/** The facilitator's page of a live session: the coach's own device, with the controls. */
export function createFacilitatorPagesRouter({ sessions, rounds }: Deps): Router {
  const router = Router();
  router.use('/rounds', requireLogin);

  async function render(
    res: Response,
    actor: Actor,
    status: SessionStatus,
    form: {
      values?: Record<string, string>;
      failure?: { status: number; errors: FormErrors };
    } = {},
  ) {
    const { link, svg } = await rounds.linkOf(status.round);
    // The page's event stream goes by the presenter token: EventSource sends no header.
    const token = sessions.presenterToken(status.session);
    res.status(form.failure?.status ?? 200).render('sessions/facilitator', {
      title: `Live: ${status.round.title}`,
      roundUrl: `/rounds/${encodeURIComponent(status.round.id)}`,
      sessionUrl: sessionUrl(status.round.id),
      presenterUrl: sessions.presenterUrl(status.session),
      reportUrl: `/reports/rounds/${encodeURIComponent(status.round.id)}`,
      values: form.values ?? {},
      errors: form.failure?.errors,
      ...toRoomView(status, await sessions.stage(actor, status), {
        link,
        qrSvg: svg,
        eventsUrl: eventsUrl(status.round.id, token),
      }),
    });
  }

  /**
   * Runs a control and goes back to the page (POST, redirect, GET); a refusal the coach can act
   * on (below k, a bad field) is shown on the page itself.
   */
  async function control(
    req: Parameters<Parameters<Router['post']>[1]>[0],
    res: Response,
    run: (actor: Actor, roundId: string) => Promise<unknown>,
    done: string,
  ) {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    try {
      await run(actor, roundId);
      req.session.flash = done;
      res.redirect(303, sessionUrl(roundId));
    } catch (err) {
      const failure = formFailure(err, res, ACTION_FIELDS);
      // Without a session (a start refused: the round is not open) there is no page to show
      // the refusal on: the error page says it.
      const status = failure ? await sessions.status(actor, roundId).catch(() => null) : null;
      if (!failure || !status) throw err;
      await render(res, actor, status, {
        values: keptValues(formBody(req)),
        failure,
      });
    }
  }

  /** GET /rounds/:roundId/session — the facilitator's page */
  router.get('/rounds/:roundId/session', async (req, res) => {
    const actor = pageActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    await render(res, actor, await sessions.status(actor, roundId));
  });

  /**
   * POST /rounds/:roundId/session/<control>: each control with what it runs (from the form's
   * fields) and what the page says once it is done.
   */
  const controls: readonly (readonly [
    string,
    (actor: Actor, roundId: string, form: Record<string, string>) => Promise<unknown>,
    string,
  ])[] = [
    [
      'start',
      (a, id) => sessions.start(a, id),
      'The live session has started: open the presenter screen on the shared display.',
    ],
    [
      'reveal',
      (a, id) => sessions.reveal(a, id),
      'The results are revealed and the round is closed.',
    ],
    [
      'step',
      (a, id, form) => sessions.step(a, id, { index: Number(form.index) }),
      'The room sees the next step.',
    ],
    [
      'actions',
      (a, id, form) =>
        sessions.agree(a, id, {
          title: form.title ?? '',
          owner: form.owner ?? '',
          dueOn: form.dueOn || null,
          pole: form.pole || null,
        }),
      'The action is agreed: the room sees it, and the next round follows it up.',
    ],
    [
      'end',
      (a, id) => sessions.end(a, id),
      'The session has ended. The room sees the actions agreed.',
    ],
  ];
  for (const [name, run, done] of controls) {
    router.post(`/rounds/:roundId/session/${name}`, async (req, res) => {
      const form = formBody(req);
      await control(req, res, (a, id) => run(a, id, form), done);
    });
  }

  return router;
}
