import type { Logger } from '../logging';
import type { OutboxDoc } from './outbox.model';
import type { MessageState, OutboxRepository, QueuedMessage } from './outbox.repository';
import { classifySmtpFailure, MailError, type MailSender } from './smtp';

/** Attempts before a message that keeps failing for a passing reason fails for good. */
export const MAX_ATTEMPTS = 8;
/** Wait before attempt n + 1: 30 s, doubling, at most an hour (8 attempts span about an hour). */
export const retryDelayMs = (attempts: number) => Math.min(30_000 * 2 ** attempts, 3_600_000);
/** A message still `sending` this long after it was taken was interrupted (sends time out far sooner). */
const INTERRUPTED_MS = 10 * 60_000;
/** The longest the outbox sleeps while messages wait for a retry (a clock jump, a lost timer). */
const MAX_SLEEP_MS = 60_000;

export type Outbox = Readonly<{
  /** False without SMTP_URL and MAIL_FROM: nothing can be sent, so nothing is queued. */
  enabled: boolean;
  /** Queues the messages whose keys were never queued, and wakes the sender: how many were new. */
  enqueue: (messages: readonly QueuedMessage[]) => Promise<number>;
  statesOf: (group: string) => Promise<MessageState[]>;
  /** Sends everything due, now (also at start, for what a stopped process left queued). */
  wake: () => void;
}>;

/**
 * Mail that must not be lost: messages are queued in the database first and sent by this
 * process afterwards, one at a time, so a request never waits for the mail server and a restart
 * loses nothing. A passing failure (no connection, a 4xx reply) is retried with back-off; a
 * refusal (a 5xx reply: a bounce at sending time) or the last attempt fails the message, with
 * the reason kept for the coach to see. A message interrupted mid-send is failed, not sent
 * again: it may have arrived, and nobody must get the same reminder twice.
 */
export function createOutbox(deps: {
  repository: OutboxRepository;
  send: MailSender | null;
  clock: () => Date;
  logger: Logger;
}): Outbox {
  const { repository, send, clock, logger } = deps;
  let draining = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function sendOne(message: OutboxDoc) {
    try {
      await send!({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      });
    } catch (err) {
      const failure = err instanceof MailError ? err : classifySmtpFailure(err);
      const attempts = message.attempts + 1;
      const retry = !failure.permanent && attempts < MAX_ATTEMPTS;
      const retryAt = retry ? new Date(clock().getTime() + retryDelayMs(message.attempts)) : null;
      await repository.markFailed(message, failure.message, retryAt);
      logger.warn(
        { key: message.key, attempts, retryAt, error: failure.message },
        retry ? 'mail not sent; retrying later' : 'mail not sent; giving up',
      );
      return;
    }
    // Sent: from here on it is never queued again. Should the database not take the news, the
    // message stays `sending` and is later marked interrupted ("may have arrived"), not resent.
    await repository.markSent(message);
    logger.info({ key: message.key }, 'mail sent');
  }

  async function drain(): Promise<void> {
    const interrupted = await repository.failInterrupted(
      new Date(clock().getTime() - INTERRUPTED_MS),
      'Sending was interrupted (the service stopped): the message may or may not have arrived.',
    );
    if (interrupted > 0) logger.warn({ interrupted }, 'mail interrupted mid-send, not resent');
    for (let message = await repository.claimNext(clock()); message;) {
      await sendOne(message);
      message = await repository.claimNext(clock());
    }
    // The next retry, or the moment a message left `sending` (a process stopped mid-send)
    // counts as interrupted.
    const due = await repository.nextDue(INTERRUPTED_MS);
    if (due) sleepUntil(due);
  }

  function sleepUntil(due: Date): void {
    clearTimeout(timer);
    const ms = Math.min(Math.max(0, due.getTime() - clock().getTime()), MAX_SLEEP_MS);
    // unref: a retry that is waited for never keeps the process alive.
    timer = setTimeout(wake, ms).unref();
  }

  function wake(): void {
    if (!send) return;
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    drain()
      .catch((err: unknown) => {
        // The database is away: look again later, whatever was queued or left half-sent.
        logger.warn({ err }, 'mail outbox could not be read; retrying');
        sleepUntil(new Date(clock().getTime() + MAX_SLEEP_MS));
      })
      .finally(() => {
        draining = false;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  return {
    enabled: send !== null,
    async enqueue(messages) {
      let queued = 0;
      for (const message of messages) if (await repository.enqueue(message, clock())) queued += 1;
      wake();
      return queued;
    },
    statesOf: (group) => repository.statesOf(group),
    wake,
  };
}
