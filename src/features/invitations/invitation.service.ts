import { createHmac } from 'node:crypto';
import { ConflictError, UnauthenticatedError, ValidationError } from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import type { KeyRing } from '../../shared/keys';
import { signedLinks } from '../../shared/signed-links';
import type { Outbox } from '../../shared/mail/outbox';
import type { MessageState } from '../../shared/mail/outbox.repository';
import type { Round, RoundStatus } from '../rounds';
import { assertRole, type Actor } from '../workspaces';
import type { Invitation, InvitationRepository } from './invitation.repository';
import {
  invitationMail,
  PERSONAL_LINK_PLACEHOLDER,
  reminderMail,
  testInvitationMail,
  type MailCoach,
  type RoundForMail,
} from './invitation.mail';
import { InvitationToken, InviteInput, type InvitationsDto } from './invitation.schemas';
import type { UsedMarks } from './used-marks';

export type InvitationRounds = Readonly<{
  get: (actor: Actor, roundId: string) => Promise<Round>;
  recordInvited: (workspaceId: string, roundId: string, invited: number) => Promise<void>;
  effectiveStatus: (round: Round) => RoundStatus;
}>;

const messages = {
  off: 'Invitations by e-mail are off: this Teamlens has no mail server (SMTP_URL and MAIL_FROM). Share the round’s link or its QR code instead.',
  notOpen: 'Invitations and reminders go out while the round is open.',
  badLink: 'This invitation link is not valid. Use the link from your e-mail, or the round’s link.',
} as const;

/**
 * Invitations by e-mail (DESIGN.md, Participation): each address gets a personal link, the
 * round's link with a signed invitation id, so nothing secret is stored and a reminder can
 * carry the same link. Answering through it records that the invitation was used, nothing more.
 * Mail goes through the outbox (queued, retried); a reminder goes once to each address that
 * has not answered, never twice.
 */
export type InvitationServiceDeps = Readonly<{
  repository: InvitationRepository;
  /** Marks of anonymous rounds' used invitations, written later (see used-marks.ts). */
  marks: UsedMarks;
  rounds: InvitationRounds;
  /** A team's name and the addresses it keeps for invitations (teams feature). */
  team: (actor: Actor, teamId: string) => Promise<{ name: string; members: readonly string[] }>;
  /** A user's name and address (accounts feature): mail names its coach, replies go to them. */
  user: (userId: string) => Promise<MailCoach | null>;
  outbox: Outbox;
  /** Signs personal links; links signed with a previous key still verify (a rotation). */
  keys: KeyRing;
  baseUrl: string;
  clock: () => Date;
}>;

export function createInvitationService(deps: InvitationServiceDeps) {
  const { repository, outbox, marks } = deps;
  /** Used: written, or waiting in this process to be written. */
  const isUsed = (invitation: Invitation) =>
    invitation.used || marks.of(invitation.roundId).has(invitation.id);
  const links = signedLinks(deps.keys, 'invitation');
  const tokenOf = links.tokenOf;
  /**
   * A message's keys in the outbox, the one to queue it under first. An anonymous round's
   * reminder goes only to who has not answered, so its key must not name the invitation: a
   * keyed hash of it still lets the outbox send one reminder per invitation, without a way
   * back to the address. During a rotation the previous keys' hashes count as sent too.
   */
  const mailKeys = (
    round: Pick<Round, 'anonymity'>,
    kind: 'invitation' | 'reminder',
    id: string,
  ) =>
    kind === 'reminder' && round.anonymity === 'anonymous'
      ? [deps.keys.current, ...deps.keys.previous].map(
          (key) =>
            `reminder:${createHmac('sha256', key).update(`reminder:${id}`).digest('base64url')}`,
        )
      : [`${kind}:${id}`];
  const mailKey = (...args: Parameters<typeof mailKeys>) => mailKeys(...args)[0]!;
  const roundLink = (round: RoundForMail) =>
    `${deps.baseUrl}/r/${encodeURIComponent(round.linkToken)}`;
  const personalLink = (round: RoundForMail, id: string) => `${roundLink(round)}?i=${tokenOf(id)}`;

  /** The coach acting: named in the mail they send, and its Reply-To. */
  async function coachOf(actor: Actor): Promise<MailCoach> {
    const user = await deps.user(actor.userId);
    if (!user) throw new UnauthenticatedError();
    return { name: user.name, email: user.email };
  }

  async function openRoundOf(actor: Actor, roundId: string) {
    assertRole(actor, 'coach');
    const round = await deps.rounds.get(actor, roundId);
    if (!outbox.enabled) throw new ConflictError('MAIL_OFF', messages.off);
    if (deps.rounds.effectiveStatus(round) !== 'open')
      throw new ConflictError('ROUND_NOT_OPEN', messages.notOpen);
    // Rounds made before they kept their team's name: the mail names the team all the same.
    return round.teamName
      ? round
      : { ...round, teamName: (await deps.team(actor, round.teamId)).name };
  }

  /** The invitations among `invitations` with no message of `kind` among the outbox's `states`. */
  const lacking = (
    round: Pick<Round, 'anonymity'>,
    kind: 'invitation' | 'reminder',
    invitations: readonly Invitation[],
    states: readonly MessageState[],
  ) => {
    const queued = new Set(states.map((s) => s.key));
    return invitations.filter((i) => !mailKeys(round, kind, i.id).some((k) => queued.has(k)));
  };

  /** The invitations that have no message of `kind` yet: one read, not an insert each. */
  const withoutMail = async (
    round: Pick<Round, 'id' | 'anonymity'>,
    kind: 'invitation' | 'reminder',
    invitations: readonly Invitation[],
  ) => lacking(round, kind, invitations, await outbox.statesOf(round.id));

  /** Who a reminder would go to now: not answered, not reminded (the rule `remind` follows). */
  const toRemind = (
    round: Pick<Round, 'anonymity'>,
    invitations: readonly Invitation[],
    states: readonly MessageState[],
  ) =>
    lacking(
      round,
      'reminder',
      invitations.filter((i) => !isUsed(i)),
      states,
    );

  /** Counts, problems, and in named rounds each address: anonymous rounds never say who answered. */
  async function standing(
    actor: Actor,
    roundId: string,
  ): Promise<{ round: Round; overview: InvitationsDto; invited: readonly string[] }> {
    assertRole(actor, 'coach');
    const round = await deps.rounds.get(actor, roundId);
    const [invitations, states] = await Promise.all([
      repository.ofRound(actor.workspaceId, roundId),
      outbox.statesOf(roundId),
    ]);
    const byKey = new Map(states.map((s) => [s.key, s]));
    const count = (kind: string) => {
      const mine = states.filter((s) => s.key.startsWith(`${kind}:`));
      return {
        queued: mine.filter((s) => s.state === 'queued' || s.state === 'sending').length,
        sent: mine.filter((s) => s.state === 'sent').length,
        failed: mine.filter((s) => s.state === 'failed').length,
      };
    };
    // A reminder goes only to who has not answered: in an anonymous round its address would
    // say who that is, so reminders' problems are counted there, never listed.
    const listed = (s: MessageState) =>
      round.anonymity === 'named' || !s.key.startsWith('reminder:');
    const problemOf = (s: MessageState) =>
      s.lastError !== null && (s.state === 'failed' || s.state === 'queued') && listed(s)
        ? [
            {
              email: s.to,
              kind: s.key.startsWith('reminder:') ? ('reminder' as const) : ('invitation' as const),
              state: s.state,
              error: s.lastError,
            },
          ]
        : [];
    const overview: InvitationsDto = {
      enabled: outbox.enabled,
      invited: invitations.length,
      answered: invitations.filter(isUsed).length,
      remindable: toRemind(round, invitations, states).length,
      invitations: count('invitation'),
      reminders: count('reminder'),
      problems: states.flatMap(problemOf),
      addresses:
        round.anonymity === 'named'
          ? invitations.map((i) => ({
              email: i.email,
              answered: isUsed(i),
              invitation: byKey.get(`invitation:${i.id}`)?.state ?? null,
              reminder: byKey.get(`reminder:${i.id}`)?.state ?? null,
            }))
          : null,
    };
    return { round, overview, invited: invitations.map((i) => i.email) };
  }

  return {
    enabled: outbox.enabled,

    /** The invitation id of a personal link's token; a ValidationError when it is not one of ours. */
    verify(token: unknown): string {
      const id = InvitationToken.safeParse(token).success ? links.idOf(token) : null;
      if (id === null)
        throw new ValidationError(
          [{ path: 'invitation', message: messages.badLink }],
          messages.badLink,
        );
      return id;
    },

    /**
     * An answer came through the invitation (see verify) in a round taking answers by link.
     * Named rounds show who answered anyway: marked at once. Anonymous ones: later, in batches.
     */
    async answered(round: Pick<Round, 'id' | 'anonymity'>, invitationId: string): Promise<void> {
      if (round.anonymity === 'anonymous') marks.add(round.id, invitationId);
      else await repository.markUsed(round.id, [invitationId]);
    },

    /** Whether the invitation has been used to answer (written or waiting to be). */
    async isUsed(roundId: string, invitationId: string): Promise<boolean> {
      return marks.of(roundId).has(invitationId) || repository.isUsed(roundId, invitationId);
    },

    /**
     * A round by invitation: claims the invitation for a new answer, once (true for exactly one
     * caller). The claim is written at once: once-only needs it, so there an operator reading
     * the database's operation log can pair the claim with the answer stored after it (README).
     */
    claim: (roundId: string, invitationId: string) => repository.claim(roundId, invitationId),
    /** Gives a claim back when its answer could not be stored. */
    release: (roundId: string, invitationId: string) => repository.release(roundId, invitationId),

    /** Writes the marks still waiting (at shutdown). */
    writeWaitingMarks: () => marks.writeAll(),

    /** Invites the addresses not invited yet, each with a personal link by e-mail. */
    async invite(actor: Actor, roundId: string, input: unknown) {
      const { emails } = parseInput(InviteInput, input);
      const round = await openRoundOf(actor, roundId);
      const coach = await coachOf(actor);
      // Once per address, as first typed.
      const unique = emails.filter(
        (e, i) => emails.findIndex((other) => other.toLowerCase() === e.toLowerCase()) === i,
      );
      const created = await repository.insertMany(
        { workspaceId: actor.workspaceId, roundId, emails: unique },
        deps.clock(),
      );
      // Every invitation of the round without its mail is queued, not only the new ones: an
      // invite cut short after storing an invitation but before queueing its mail is made good
      // by the next. The outbox queues each key once, so nobody gets a second invitation.
      const all = await repository.ofRound(actor.workspaceId, roundId);
      await outbox.enqueue(
        (await withoutMail(round, 'invitation', all)).map((invitation) => ({
          key: mailKey(round, 'invitation', invitation.id),
          group: roundId,
          to: invitation.email,
          ...invitationMail(round, personalLink(round, invitation.id), coach),
        })),
      );
      await deps.rounds.recordInvited(actor.workspaceId, roundId, all.length);
      return { invited: created.length, alreadyInvited: unique.length - created.length };
    },

    /** One reminder to each invitee who has not answered; none to an address reminded before. */
    async remind(actor: Actor, roundId: string) {
      const round = await openRoundOf(actor, roundId);
      const [invitations, states, coach] = await Promise.all([
        repository.ofRound(actor.workspaceId, roundId),
        outbox.statesOf(roundId),
        coachOf(actor),
      ]);
      const waiting = invitations.filter((i) => !isUsed(i));
      const reminded = await outbox.enqueue(
        toRemind(round, invitations, states).map((invitation) => ({
          key: mailKey(round, 'reminder', invitation.id),
          group: roundId,
          to: invitation.email,
          forgetRecipient: round.anonymity === 'anonymous',
          // Replies go to the coach who reminds, who may not be the one who invited.
          ...reminderMail(round, personalLink(round, invitation.id), coach),
        })),
      );
      return { reminded, alreadyReminded: waiting.length - reminded };
    },

    /**
     * The invitation e-mail as each person gets it, to the coach alone, marked as a test, with
     * the round's plain link: nobody is invited, nothing counts. At most one a minute per coach
     * and round (the outbox's key): `sent` is false for a second click within the minute.
     */
    async sendTest(actor: Actor, roundId: string): Promise<{ sent: boolean; to: string }> {
      const round = await openRoundOf(actor, roundId);
      const coach = await coachOf(actor);
      const minute = Math.floor(deps.clock().getTime() / 60_000);
      const queued = await outbox.enqueue([
        {
          key: `test-invitation:${roundId}:${actor.userId}:${minute}`,
          // A group of its own: the round's counts and problems never include it.
          group: `test:${roundId}`,
          to: coach.email,
          ...testInvitationMail(round, roundLink(round), coach),
        },
      ]);
      return { sent: queued === 1, to: coach.email };
    },

    overview: async (actor: Actor, roundId: string): Promise<InvitationsDto> =>
      (await standing(actor, roundId)).overview,

    /**
     * The overview with the round it is of, for the page, and the addresses of the round's team
     * not invited yet (coaches see the team's list anyway).
     */
    async page(actor: Actor, roundId: string) {
      const { round, overview, invited } = await standing(actor, roundId);
      const [{ name, members }, coach] = await Promise.all([
        deps.team(actor, round.teamId),
        coachOf(actor),
      ]);
      const known = new Set(invited.map((e) => e.toLowerCase()));
      return {
        round,
        overview,
        coach,
        // Built as the invitations are, so it shows what each person will read.
        preview: invitationMail(
          { ...round, teamName: round.teamName ?? name },
          PERSONAL_LINK_PLACEHOLDER,
          coach,
        ),
        teamList: {
          size: members.length,
          notInvited: members.filter((e) => !known.has(e.toLowerCase())),
        },
      };
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
