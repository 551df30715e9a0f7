import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { emailAddress } from '../../shared/email';

/** At most this many addresses at once: a team, or a few, not a mailing list. */
export const MAX_INVITED_AT_ONCE = 200;

export const InviteInput = z
  .object({
    emails: z
      .array(
        emailAddress((input) => `“${input}” is not an e-mail address.`),
        { error: 'Give the addresses as a list.' },
      )
      .min(1, { error: 'Give at least one e-mail address.' })
      .max(MAX_INVITED_AT_ONCE, {
        error: `At most ${MAX_INVITED_AT_ONCE} addresses at once.`,
      }),
  })
  .strict()
  .register(apiSchemas, { id: 'Invite' });

/** A personal link's `i`: the invitation's id and its signature (see invitation.service.ts). */
export const InvitationToken = z.string().regex(/^[A-Za-z0-9_-]{10,40}\.[A-Za-z0-9_-]{22}$/, {
  error: 'This invitation link is not valid.',
});

const MailStates = z
  .object({
    queued: z.number().int().describe('Waiting to be sent, or to be tried again'),
    sent: z.number().int(),
    failed: z.number().int().describe('Refused by the mail server, or given up after retries'),
  })
  .strict();

export const InvitationsDto = z
  .object({
    enabled: z.boolean().describe('False when this Teamlens has no SMTP_URL and MAIL_FROM'),
    invited: z.number().int(),
    answered: z.number().int().describe('Invitees who answered through their personal link'),
    remindable: z
      .number()
      .int()
      .describe(
        'Invitees who have not answered and had no reminder yet: whom a reminder would reach now',
      ),
    invitations: MailStates,
    reminders: MailStates,
    problems: z
      .array(
        z
          .object({
            email: z.string(),
            kind: z.enum(['invitation', 'reminder']),
            state: z.enum(['queued', 'failed']),
            error: z.string(),
          })
          .strict(),
      )
      .describe('Messages that failed, or wait to be tried again, with the reason'),
    addresses: z
      .array(
        z
          .object({
            email: z.string(),
            answered: z.boolean(),
            invitation: z.enum(['queued', 'sending', 'sent', 'failed']).nullable(),
            reminder: z.enum(['queued', 'sending', 'sent', 'failed']).nullable(),
          })
          .strict(),
      )
      .nullable()
      .describe('Each address with its state: named rounds only (anonymous rounds show counts)'),
  })
  .strict()
  .register(apiSchemas, { id: 'Invitations', description: 'The invitations' });
export type InvitationsDto = z.infer<typeof InvitationsDto>;

export const RemindedDto = z
  .object({
    reminded: z.number().int().describe('Reminders queued now'),
    alreadyReminded: z.number().int().describe('Addresses that had their one reminder before'),
  })
  .strict()
  .register(apiSchemas, { id: 'Reminded', description: 'Queued' });
