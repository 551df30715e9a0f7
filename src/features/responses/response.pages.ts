import { Router, type Request, type Response } from 'express';
import {
  AppError,
  ForbiddenError,
  TooManyRequestsError,
  ValidationError,
} from '../../shared/errors';
import { readCookie } from '../../shared/http/cookies';
import { formBody, formFailure } from '../../shared/http/forms';
import { parseInput } from '../../shared/http/validate';
import { formToInput, toFormValues } from './answers';
import { LinkTokenParams, RespondentKey } from './response.schemas';
import { newRespondentKey, type OpenRound, type ResponseService } from './response.service';
import {
  respondentUrl,
  toAnswerErrors,
  toRespondentPage,
  toThanksPage,
} from './response.view-model';

const KEY_MAX_AGE_MS = 180 * 24 * 3600_000;

const messages = {
  crossSite:
    'This form was sent from another website, so it was not saved. Open the link you were given and answer there.',
} as const;

/** One cookie per round, sent for every /r/ path (so it survives a rotated link). */
const cookieName = (roundId: string) => `tlr_${roundId}`;

/**
 * The respondent's pages at /r/<token>. They run before the session middleware: answering needs
 * no account and creates no session. Forms are protected by the respondent key instead: the
 * hidden key must match the round's cookie when there is one (double-submit), so another site
 * cannot post into a respondent's answer.
 */
export function createResponsePagesRouter(deps: {
  responses: ResponseService;
  secureCookies: boolean;
  /** Where people reach the service (BASE_URL): forms posted from its origin are its own. */
  baseUrl: string;
}): Router {
  const { responses } = deps;
  const router = Router();

  const setKeyCookie = (res: Response, roundId: string, key: string) =>
    res.cookie(cookieName(roundId), key, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: '/r/',
      maxAge: KEY_MAX_AGE_MS,
    });

  function cookieKey(req: Request, roundId: string): string | undefined {
    const parsed = RespondentKey.safeParse(readCookie(req, cookieName(roundId)));
    return parsed.success ? parsed.data : undefined;
  }

  /** GET /r/:token — the questionnaire, with the respondent's earlier answer if any */
  router.get('/r/:token', async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const open = await responses.openRound(token, req.ip ?? 'unknown');
    const returning = cookieKey(req, open.round.id);
    // Only a returning respondent can have an earlier answer: a new key has none to look up.
    const earlier = returning ? await responses.answerOf(open, returning) : null;
    // A personal link's invitation rides along in the form. In a round by link a mangled or
    // outdated one is left out, so that it never stands between a team member and their
    // answer; in a round by invitation only an unused one lets a new respondent in.
    const invitation = responses.validInvitation(req.query.i);
    const { alreadyUsed } = earlier
      ? { alreadyUsed: false }
      : await responses.admission(open, invitation);
    const key = returning ?? newRespondentKey();
    setKeyCookie(res, open.round.id, key);
    res.set('Cache-Control', 'no-store').render(
      'responses/form',
      toRespondentPage({
        open,
        token,
        respondentKey: key,
        invitation: alreadyUsed ? undefined : invitation,
        invitationUsed: alreadyUsed,
        values: earlier
          ? {
              ...toFormValues(earlier.answers),
              respondentName: earlier.name ?? '',
              respondentRole: earlier.role ?? '',
            }
          : {},
        answeredOn: earlier?.day,
      }),
    );
  });

  /** POST /r/:token — store the answer (one per respondent key), then the thank-you page */
  router.post('/r/:token', async (req, res) => {
    assertSentFromHere(req);
    const { token } = parseInput(LinkTokenParams, req.params);
    const ip = req.ip ?? 'unknown';
    const open = await responses.openRound(token, ip);
    const form = formBody(req);
    const key = respondentKeyOf(req, open, form.respondentKey);
    setKeyCookie(res, open.round.id, key);
    // An outdated invitation is dropped, as on the page: the answer still counts.
    const invitation = responses.validInvitation(form.invitation);
    try {
      await responses.submit(open, formToInput(open.definition, form), {
        key,
        ip,
        ...(invitation ? { invitation } : {}),
      });
      res.redirect(303, `${respondentUrl(token)}/thanks`);
    } catch (err) {
      // A round by invitation that this answer may not enter: its own page, not the form.
      if (err instanceof AppError && err.code in UNAVAILABLE) throw err;
      const failure = formFailure(err, res, []);
      if (!failure) throw err;
      const errors =
        err instanceof ValidationError
          ? toAnswerErrors(open.definition, err.details ?? [])
          : failure.errors;
      res
        .status(failure.status)
        .set('Cache-Control', 'no-store')
        .render(
          'responses/form',
          toRespondentPage({
            open,
            token,
            respondentKey: key,
            invitation,
            values: form,
            errors,
          }),
        );
    }
  });

  /**
   * The key an answer is stored under: the round's cookie, which the form must repeat
   * (double submit). Without the cookie, a new key: a key the form alone names is never
   * adopted, or a page elsewhere could post one it knows into a teammate's browser and read
   * their later answers back with it.
   */
  function respondentKeyOf(req: Request, open: OpenRound, fromForm: string | undefined): string {
    const fromCookie = cookieKey(req, open.round.id);
    if (!fromCookie) return newRespondentKey();
    if (RespondentKey.safeParse(fromForm).data !== fromCookie) {
      throw new ForbiddenError(
        'CSRF_INVALID',
        'This form was sent from another page. Reload the page and answer again.',
      );
    }
    return fromCookie;
  }

  /**
   * Respondent forms are posted from their own page only. A browser says where a form comes
   * from (Sec-Fetch-Site, else Origin): another site's is refused before anything is read or
   * stored, even another site on the same domain. Clients that send neither (not a browser)
   * pass: without the round's cookie they only ever get a new key (respondentKeyOf).
   */
  function assertSentFromHere(req: Request): void {
    const fetchSite = req.get('Sec-Fetch-Site');
    const origin = req.get('Origin');
    const fromHere =
      fetchSite !== undefined
        ? fetchSite === 'same-origin' || fetchSite === 'none'
        : origin === undefined || ownOrigins(req).includes(origin);
    if (!fromHere) throw new ForbiddenError('CROSS_SITE_FORM', messages.crossSite);
  }

  /** This service's origins: BASE_URL's, and the one the browser addressed (its Host). */
  const ownOrigins = (req: Request) => [
    new URL(deps.baseUrl).origin,
    `${req.protocol}://${req.get('host') ?? ''}`,
  ];

  /** GET /r/:token/thanks */
  router.get('/r/:token/thanks', async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const open = await responses.openRound(token, req.ip ?? 'unknown');
    const key = cookieKey(req, open.round.id);
    const answer = key ? await responses.answerOf(open, key) : null;
    res
      .set('Cache-Control', 'no-store')
      .render('responses/thanks', toThanksPage({ open, token, answeredOn: answer?.day }));
  });

  // Errors of these pages in words for the person holding the link: no request id, no menu of
  // an application they have no account in (other errors reach the site's error page).
  router.use('/r', (err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    const page = err instanceof AppError ? UNAVAILABLE[err.code] : undefined;
    if (!page || !(err instanceof AppError)) return next(err);
    if (err instanceof TooManyRequestsError)
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res
      .status(err.status)
      .set('Cache-Control', 'no-store')
      .render('responses/unavailable', { ...page, title: page.heading, respondent: true });
  });

  return router;
}

/** What a respondent reads when their link leads nowhere useful, by error code. */
const UNAVAILABLE: Readonly<Record<string, { heading: string; message: string; hint?: string }>> = {
  ROUND_LINK_NOT_FOUND: {
    heading: 'This link does not lead to a round',
    message:
      'Check that the whole link was copied: it is long, and one missing character is enough.',
    hint: 'If it still does not work, ask whoever sent it for the link again. It may have been replaced by a new one.',
  },
  ROUND_NOT_STARTED: {
    heading: 'This round has not started yet',
    message: 'Nobody can answer it yet. Open this link again once your coach says it has started.',
  },
  ROUND_CLOSED: {
    heading: 'This round is closed',
    message: 'It no longer takes answers or changes to answers.',
    hint: 'If you answered before it closed, your answers are kept and count in the results.',
  },
  RATE_LIMITED: {
    heading: 'Too many attempts from your network',
    message: 'Wait a few minutes, then open the link again.',
  },
  INVITATION_REQUIRED: {
    heading: 'This round is by invitation',
    message:
      'Only the personal link in an invitation e-mail starts an answer. Open the link from your e-mail.',
    hint: 'If you have not received one, or it no longer works, ask your coach to invite you.',
  },
  INVITATION_USED: {
    heading: 'This invitation has already been used to answer',
    message:
      'Each invitation answers once. To see or change your answer, open this link in the browser you answered in: it shows your answer, ready to change.',
    hint: 'If you did not answer through this link, tell your coach: someone else may have used it.',
  },
  CROSS_SITE_FORM: {
    heading: 'Your answer was not saved',
    message: messages.crossSite,
  },
};
