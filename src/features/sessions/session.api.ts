import { route, type ApiRouter } from '../../shared/http/openapi';
import { UnauthenticatedError, NotFoundError } from '../../shared/errors';
import { apiRouter } from '../accounts';
import { RoundIdParams } from '../rounds';
import type { Actor } from '../workspaces';
import type { SessionEvents } from './session.events';
import { PresenterQuery, SessionDto, StepInput } from './session.schemas';
import type { SessionService, SessionStatus } from './session.service';
import { toSessionDto } from './session.view-model';

const theSession = { 200: SessionDto };
const tag = 'Live sessions';

/** A round's live session: start, state, reveal, step, end, and its event stream. */
export function createSessionApiRouter({
  sessions,
  events,
}: {
  sessions: SessionService;
  events: SessionEvents;
}): ApiRouter<Actor> {
  const api = apiRouter();
  const dto = async (actor: Actor, status: SessionStatus) =>
    toSessionDto(
      status,
      await sessions.stage(actor, status),
      sessions.presenterUrl(status.session),
    );

  route(
    api,
    {
      method: 'post',
      path: '/rounds/{roundId}/session',
      tag,
      access: 'coach',
      summary: 'Start a live session on an open round',
      description:
        'The presenter page (`presenterUrl`, for the shared screen) shows the round’s link, its QR code and the count; before the reveal nothing else of the round leaves the server. A session already running is answered again; an ended one is replaced (its presenter link stops working). Conflict: `ROUND_NOT_OPEN`.',
      params: RoundIdParams,
      responses: theSession,
      errors: ['ROUND_NOT_FOUND', 'ROUND_NOT_OPEN'],
    },
    async ({ actor, params }) => dto(actor, await sessions.start(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/session',
      tag,
      access: 'coach',
      summary: 'The live session’s state and count',
      params: RoundIdParams,
      responses: theSession,
      errors: ['ROUND_NOT_FOUND', 'SESSION_NOT_FOUND'],
    },
    async ({ actor, params }) => dto(actor, await sessions.status(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'post',
      path: '/rounds/{roundId}/session/reveal',
      tag,
      access: 'coach',
      summary: 'Reveal the results: close the round and show the summary',
      description:
        'Closes the round (its answers are final) and moves the session to step 0, the summary. Refused with 409 `BELOW_K` while an anonymous round has fewer answers than its minimum group size (the message says how many more are needed); `SESSION_NOT_COLLECTING` once revealed or ended.',
      params: RoundIdParams,
      responses: theSession,
      errors: ['ROUND_NOT_FOUND', 'SESSION_NOT_FOUND', 'BELOW_K', 'SESSION_NOT_COLLECTING'],
    },
    async ({ actor, params }) => dto(actor, await sessions.reveal(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'post',
      path: '/rounds/{roundId}/session/step',
      tag,
      access: 'coach',
      summary: 'Show the summary (0) or the n-th item in discuss-first order',
      description:
        'The discuss list first (highest priority first), then the other items in questionnaire order; `steps` in the session says how many. Conflict: `SESSION_NOT_REVEALED`.',
      params: RoundIdParams,
      body: { schema: StepInput, checkedBy: 'handler' },
      responses: theSession,
      errors: ['ROUND_NOT_FOUND', 'SESSION_NOT_FOUND', 'SESSION_NOT_REVEALED'],
    },
    async ({ actor, params, body }) => dto(actor, await sessions.step(actor, params.roundId, body)),
  );

  route(
    api,
    {
      method: 'delete',
      path: '/rounds/{roundId}/session',
      tag,
      access: 'coach',
      summary: 'End the live session',
      description:
        'The presenter shows the actions agreed; the round stays as it is (closed if it was revealed). Conflict: `SESSION_NOT_COLLECTING` (it ended already).',
      params: RoundIdParams,
      responses: theSession,
      errors: ['ROUND_NOT_FOUND', 'SESSION_NOT_FOUND', 'SESSION_NOT_COLLECTING'],
    },
    async ({ actor, params }) => dto(actor, await sessions.end(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/session/events',
      tag,
      access: 'optional',
      summary: 'The live session’s events (Server-Sent Events)',
      description:
        'A `text/event-stream` for a coach’s token or the presenter link’s token (`?presenter=`; EventSource sends no header). Events: `state` `{state, step, version}` and `count` `{n, expected, kReached, missingForK}`, each with an id; a client sending `Last-Event-ID` gets only what changed since. Before the reveal no other data is sent in any event. A comment line (`: heartbeat`) every 15 s keeps proxies from closing an idle stream. Once the session ended, a client that heard the end gets 204 (EventSource then stops).',
      params: RoundIdParams,
      query: PresenterQuery,
      headers: [
        {
          name: 'Last-Event-ID',
          in: 'header',
          required: false,
          description:
            'The id of the last event received (EventSource sends it when it reconnects)',
          schema: { type: 'string' },
        },
      ],
      responses: {
        200: { description: 'A `text/event-stream` of `state` and `count` events' },
        204: { description: 'The session has ended and the client heard it' },
      },
      errors: ['ROUND_NOT_FOUND', 'SESSION_NOT_FOUND'],
    },
    async ({ actor, params, query, req, res }) => {
      let status: SessionStatus;
      if (query.presenter !== undefined) {
        status = await sessions.presenterStatus(query.presenter);
        // A presenter link opens its own session's stream only.
        if (status.round.id !== params.roundId)
          throw new NotFoundError(
            'SESSION_NOT_FOUND',
            'This presenter link is not for this round.',
          );
      } else {
        if (!actor) throw new UnauthenticatedError();
        status = await sessions.status(actor, params.roundId);
      }
      events.subscribe(req, res, status);
    },
  );

  return api;
}
