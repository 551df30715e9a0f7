import { Router } from 'express';
import {
  apiErrors,
  idParameter,
  route,
  type ApiDescription,
  type ApiOperation,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { RoundIdParams } from '../rounds';
import { InvitationsDto, InviteInput, RemindedDto } from './invitation.schemas';
import type { InvitationService } from './invitation.service';
import { z } from 'zod';

const roundIdParameter = idParameter('roundId', 'round', RoundIdParams.shape.roundId);
const mailConflict = {
  description:
    '`MAIL_OFF` (no SMTP_URL and MAIL_FROM: invitations by e-mail are off) or `ROUND_NOT_OPEN`',
  schema: 'Error',
};

const getInvitations: ApiOperation = {
  method: 'get',
  path: '/rounds/{roundId}/invitations',
  tag: 'Invitations',
  access: 'coach',
  summary: 'How the invitations of a round stand',
  description:
    'Counts of invited and answered (through the personal link), the mail states, the problems with their reasons. Each address with its state only in named rounds: an anonymous round never says who answered.',
  parameters: [roundIdParameter],
  responses: {
    200: { description: 'The invitations', schema: 'Invitations' },
    404: apiErrors[404],
  },
};

const invite: ApiOperation = {
  method: 'post',
  path: '/rounds/{roundId}/invitations',
  tag: 'Invitations',
  access: 'coach',
  summary: 'Invite addresses by e-mail',
  description:
    'Each address not invited yet gets an e-mail with a personal link; an address invited before is not sent another. Mail is queued and sent in the background, retried when the mail server is away.',
  parameters: [roundIdParameter],
  requestBody: { schema: 'Invite' },
  responses: {
    201: { description: 'Queued', schema: 'Invited' },
    404: apiErrors[404],
    409: mailConflict,
  },
};

const remind: ApiOperation = {
  method: 'post',
  path: '/rounds/{roundId}/reminders',
  tag: 'Invitations',
  access: 'coach',
  summary: 'Remind everyone invited who has not answered',
  description:
    'One reminder per address and round: an address reminded before is not sent another.',
  parameters: [roundIdParameter],
  responses: {
    200: { description: 'Queued', schema: 'Reminded' },
    404: apiErrors[404],
    409: mailConflict,
  },
};

const InvitedDto = z
  .object({
    invited: z.number().int().describe('Addresses invited now'),
    alreadyInvited: z.number().int().describe('Addresses that were invited before'),
  })
  .strict();

export const invitationApi: ApiDescription = {
  operations: [getInvitations, invite, remind],
  schemas: {
    Invitations: { schema: InvitationsDto, io: 'output' },
    Invite: { schema: InviteInput, io: 'input' },
    Invited: { schema: InvitedDto, io: 'output' },
    Reminded: { schema: RemindedDto, io: 'output' },
  },
};

/** JSON of a round's invitations, mounted at the root of /api/v1. */
export function createInvitationApiRouter({ invitations }: { invitations: InvitationService }) {
  const router = Router();

  route(router, getInvitations, async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(await invitations.overview(apiActor(res), roundId));
  });

  route(router, invite, async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.status(201).json(await invitations.invite(apiActor(res), roundId, req.body));
  });

  route(router, remind, async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(await invitations.remind(apiActor(res), roundId));
  });

  return router;
}
