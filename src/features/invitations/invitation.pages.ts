import { Router, type Request, type Response } from 'express';
import { formBody, formFailure, splitList } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { keptValues, toFields, type FormErrors } from '../../shared/views/forms';
import { pageActor, requireLogin } from '../accounts';
import type { Actor } from '../workspaces';
import { RoundIdParams, roundUrl } from '../rounds';
import type { InvitationService } from './invitation.service';
import { toInvitationsPage } from './invitation.view-model';

const FIELDS = [
  {
    name: 'emails',
    label: 'E-mail addresses',
    hint: 'One per line, or separated by commas. Each gets a personal link; an address invited before is not sent another.',
    multiline: true,
    rows: 6,
  },
];

/** The round's invitations page: invite by e-mail, see how it stands, remind. */
export function createInvitationPagesRouter({
  invitations,
  baseUrl,
}: {
  invitations: InvitationService;
  /** Where the links handed out point (BASE_URL): the page warns while nobody else can reach it. */
  baseUrl: string;
}) {
  const router = Router();
  router.use('/rounds/:roundId/invitations', requireLogin);
  router.use('/rounds/:roundId/reminders', requireLogin);
  const pageUrl = (roundId: string) => `${roundUrl(roundId)}/invitations`;

  async function render(
    res: Response,
    roundId: string,
    form: { values?: Record<string, string>; errors?: FormErrors } = {},
    status = 200,
  ) {
    const actor = pageActor(res);
    const { round, overview, teamList, coach, preview } = await invitations.page(actor, roundId);
    res.status(status).render(
      'invitations/show',
      toInvitationsPage({
        overview,
        round,
        teamList,
        coach,
        preview,
        baseUrl,
        fields: toFields(FIELDS, form),
        errors: form.errors,
      }),
    );
  }

  /** GET /rounds/:roundId/invitations */
  router.get('/rounds/:roundId/invitations', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    await render(res, roundId);
  });

  /** POST /rounds/:roundId/invitations — the addresses as pasted */
  router.post('/rounds/:roundId/invitations', async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const body = formBody(req);
    try {
      const { invited, alreadyInvited } = await invitations.invite(pageActor(res), roundId, {
        emails: splitList(body.emails ?? ''),
      });
      req.session.flash =
        `${invited} invitation${invited === 1 ? '' : 's'} on the way.` +
        (alreadyInvited > 0 ? ` ${alreadyInvited} had been invited before: not sent again.` : '');
      res.redirect(303, pageUrl(roundId));
    } catch (err) {
      const failure = formFailure(err, res, FIELDS);
      if (!failure) throw err;
      await render(
        res,
        roundId,
        { values: keptValues(body), errors: failure.errors },
        failure.status,
      );
    }
  });

  /** A button's action: its message shown after a redirect, or the page saying why not. */
  async function act(
    req: Request,
    res: Response,
    run: (actor: Actor, roundId: string) => Promise<string>,
  ) {
    const { roundId } = parseInput(RoundIdParams, req.params);
    try {
      req.session.flash = await run(pageActor(res), roundId);
      res.redirect(303, pageUrl(roundId));
    } catch (err) {
      const failure = formFailure(err, res, []);
      if (!failure) throw err;
      await render(res, roundId, { errors: failure.errors }, failure.status);
    }
  }

  /** POST /rounds/:roundId/invitations/test — the invitation e-mail to the coach alone */
  router.post('/rounds/:roundId/invitations/test', (req, res) =>
    act(req, res, async (actor, roundId) => {
      const { sent, to } = await invitations.sendTest(actor, roundId);
      return sent
        ? `A test invitation is on the way to ${to}: the e-mail shown below, marked as a test. Nobody else gets it, and it counts nowhere.`
        : `A test invitation went to ${to} less than a minute ago: look for it there first.`;
    }),
  );

  /** POST /rounds/:roundId/reminders — one reminder to each invitee who has not answered */
  router.post('/rounds/:roundId/reminders', (req, res) =>
    act(req, res, async (actor, roundId) => {
      const { reminded, alreadyReminded } = await invitations.remind(actor, roundId);
      return (
        `${reminded} reminder${reminded === 1 ? '' : 's'} on the way.` +
        (alreadyReminded > 0
          ? ` ${alreadyReminded} had their reminder before: not sent again.`
          : '')
      );
    }),
  );

  return router;
}
