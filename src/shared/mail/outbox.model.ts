import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/models';
import type { MailAddress } from './smtp';

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * One message to send. Its `key` is unique: the same message (an invitation, a reminder to one
 * address) can be queued only once, however often it is asked for. Once sent, its text and
 * Reply-To are dropped: the outbox keeps only who it went to and how it went.
 */
export type OutboxDoc = {
  _id: string;
  key: string;
  /** What it belongs to (a round), to show its messages' states together. */
  group: string;
  /** Emptied once the message is sent or failed for good when `forgetRecipient` is set. */
  to: string;
  /**
   * The address itself says something (a reminder of an anonymous round goes only to who has
   * not answered): the outbox keeps it only while it may still send the message.
   */
  forgetRecipient?: boolean;
  subject: string;
  text: string;
  /**
   * Where replies go (the coach who sent it): someone's name and address, so dropped with the
   * text once the message is sent; nothing shows it afterwards.
   */
  replyTo?: MailAddress;
  state: OutboxState;
  attempts: number;
  /** When a queued message may be tried (again). */
  nextAttemptAt: Date;
  /** When a worker took it; a message left `sending` long after that was interrupted. */
  claimedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
};

const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    group: { type: String, required: true },
    to: { type: String, required: true },
    forgetRecipient: { type: Boolean },
    subject: { type: String, required: true },
    text: { type: String, default: '' },
    replyTo: {
      type: new Schema<MailAddress>(
        { name: { type: String, required: true }, address: { type: String, required: true } },
        { _id: false },
      ),
      default: undefined,
    },
    state: { type: String, enum: OUTBOX_STATES, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    claimedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'mail_outbox', versionKey: false },
);
outboxSchema.index({ key: 1 }, { unique: true });
outboxSchema.index({ state: 1, nextAttemptAt: 1 });
outboxSchema.index({ group: 1 });

export function outboxModel(conn: Connection) {
  return modelOn(conn, 'OutboxMessage', outboxSchema);
}
