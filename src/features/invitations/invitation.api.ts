import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import { RoundIdParams } from '../rounds';
import type { Actor } from '../workspaces';
import { InvitationsDto, InviteInput, RemindedDto } from './invitation.schemas';
import type { InvitationService } from './invitation.service';

const mailConflict = ['MAIL_OFF', 'ROUND_NOT_OPEN'] as const;

const InvitedDto = z
  .object({
    invited: z.number().int().describe('Addresses invited now'),
    alreadyInvited: z.number().int().describe('Addresses that were invited before'),
  })
  .strict()
  .register(apiSchemas, { id: 'Invited', description: 'Queued' });

/** JSON of a round's invitations, mounted at the root of /api/v1. */
export function createInvitationApiRouter({
  invitations,
}: {
  invitations: InvitationService;
}): ApiRouter<Actor> {
  const api = apiRouter();

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/invitations',
      tag: 'Invitations',
      access: 'coach',
      summary: 'How the invitations of a round stand',
      description:
        'Counts of invited and answered (through the personal link), the mail states, the problems with their reasons. Each address with its state only in named rounds: an anonymous round never says who answered.',
      params: RoundIdParams,
      responses: {
        200: InvitationsDto,
      },
      errors: ['ROUND_NOT_FOUND'],
    },
    ({ actor, params }) => invitations.overview(actor, params.roundId),
  );

  route(
    api,
    {
      method: 'post',
      path: '/rounds/{roundId}/invitations',
      tag: 'Invitations',
      access: 'coach',
      summary: 'Invite addresses by e-mail',
      description:
        'Each address not invited yet gets an e-mail with a personal link; an address invited before is not sent another. Mail is queued and sent in the background, retried when the mail server is away.',
      params: RoundIdParams,
      body: InviteInput,
      responses: { 201: InvitedDto },
      errors: ['ROUND_NOT_FOUND', ...mailConflict],
    },
    ({ actor, params, body }) => invitations.invite(actor, params.roundId, body),
  );

  route(
    api,
    {
      method: 'post',
      path: '/rounds/{roundId}/reminders',
      tag: 'Invitations',
      access: 'coach',
      summary: 'Remind everyone invited who has not answered',
      description:
        'One reminder per address and round: an address reminded before is not sent another.',
      params: RoundIdParams,
      responses: { 200: RemindedDto },
      errors: ['ROUND_NOT_FOUND', ...mailConflict],
    },
    ({ actor, params }) => invitations.remind(actor, params.roundId),
  );

  return api;
}
