import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { lessThan, notTrue } from '../db/filters';
import { randomId } from '../ids';
import { outboxModel, type OutboxDoc, type OutboxState } from './outbox.model';
import type { MailAddress } from './smtp';

export type QueuedMessage = Readonly<{
  key: string;
  group: string;
  to: string;
  /** Drop `to` once the message is done with (see OutboxDoc). */
  forgetRecipient?: boolean;
  subject: string;
  text: string;
  /** Where replies go; dropped with the text once sent (see OutboxDoc). */
  replyTo?: MailAddress;
}>;

/** What the outbox shows of a message: never its text. */
export type MessageState = Readonly<{
  key: string;
  to: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
}>;

/** The address of a message done with, gone where it must not be kept (see OutboxDoc). */
const forgotten = (message: Pick<OutboxDoc, 'forgetRecipient'>) =>
  message.forgetRecipient ? { to: '' } : {};

export function createOutboxRepository(conn: Connection) {
  const model = outboxModel(conn);

  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    /** Queues the message unless one with its key was queued before: true when it is new. */
    async enqueue(message: QueuedMessage, now: Date): Promise<boolean> {
      try {
        await model.create({
          _id: randomId(),
          ...message,
          state: 'queued',
          attempts: 0,
          nextAttemptAt: now,
          claimedAt: null,
          lastError: null,
          createdAt: now,
        });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },

    /**
     * Takes the next message due, marking it `sending`. One worker per process takes messages
     * one at a time; across instances the conditional update lets one of them win.
     */
    async claimNext(now: Date): Promise<OutboxDoc | null> {
      return model
        .findOneAndUpdate(
          { state: 'queued', nextAttemptAt: lessThan(new Date(now.getTime() + 1)) },
          { $set: { state: 'sending', claimedAt: now } },
          { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
        )
        .lean<OutboxDoc>();
    },

    async markSent(message: Pick<OutboxDoc, '_id' | 'forgetRecipient'>): Promise<void> {
      await model.updateOne(
        { _id: message._id, state: 'sending' },
        {
          $set: { state: 'sent', text: '', lastError: null, ...forgotten(message) },
          $unset: { replyTo: 1 },
          $inc: { attempts: 1 },
        },
      );
    },

    /** A failed attempt: tried again at `retryAt`, or failed for good when null. */
    async markFailed(
      message: Pick<OutboxDoc, '_id' | 'forgetRecipient'>,
      error: string,
      retryAt: Date | null,
    ): Promise<void> {
      await model.updateOne(
        { _id: message._id, state: 'sending' },
        {
          $set: retryAt
            ? { state: 'queued', nextAttemptAt: retryAt, lastError: error, claimedAt: null }
            : { state: 'failed', lastError: error, claimedAt: null, ...forgotten(message) },
          $inc: { attempts: 1 },
        },
      );
    },

    /**
     * Messages left `sending` since before `before` (their process died mid-send): failed,
     * since they may have arrived. Sending them again could send one twice.
     */
    async failInterrupted(before: Date, error: string): Promise<number> {
      const interrupted = { state: 'sending' as const, claimedAt: lessThan(before) };
      const failed = { state: 'failed' as const, lastError: error, claimedAt: null };
      const [forgetting, keeping] = await Promise.all([
        model.updateMany(
          { ...interrupted, forgetRecipient: true },
          { $set: { ...failed, ...forgotten({ forgetRecipient: true }) } },
        ),
        model.updateMany({ ...interrupted, forgetRecipient: notTrue() }, { $set: failed }),
      ]);
      return forgetting.modifiedCount + keeping.modifiedCount;
    },

    /**
     * When the outbox must look again: the next queued message's attempt, or the moment the
     * oldest message left `sending` counts as interrupted (`interruptedMs` after it was
     * taken); null when neither exists.
     */
    async nextDue(interruptedMs: number): Promise<Date | null> {
      const [queued, sending] = await Promise.all([
        model
          .findOne({ state: 'queued' }, { nextAttemptAt: 1 })
          .sort({ nextAttemptAt: 1 })
          .lean<Pick<OutboxDoc, 'nextAttemptAt'>>(),
        model
          .findOne({ state: 'sending' }, { claimedAt: 1 })
          .sort({ claimedAt: 1 })
          .lean<Pick<OutboxDoc, 'claimedAt'>>(),
      ]);
      const times = [
        queued?.nextAttemptAt.getTime(),
        sending?.claimedAt ? sending.claimedAt.getTime() + interruptedMs : undefined,
      ].filter((t): t is number => t !== undefined);
      return times.length > 0 ? new Date(Math.min(...times)) : null;
    },

    async statesOf(group: string): Promise<MessageState[]> {
      const docs = await model
        .find({ group }, { key: 1, to: 1, state: 1, attempts: 1, lastError: 1 })
        .lean<OutboxDoc[]>();
      return docs.map((d) => ({
        key: d.key,
        to: d.to,
        state: d.state,
        attempts: d.attempts,
        lastError: d.lastError,
      }));
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
