import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';

/** One answer of one item; which fields are set depends on the item's kind. */
export type AnswerDoc = {
  itemId: string;
  /** tension and maturity: the point on the scale; practice: the 1–5 rating. */
  value?: number;
  /** tension with askDesired: where the team should be. */
  desired?: number;
  /** tension and maturity: "can't say", instead of a value (counted apart, never in n). */
  cantSay?: true;
  /** practice: the free text. */
  text?: string;
  /** dcf: one entry per aspect (objects, not nested arrays, which not every supported server stores). */
  classes?: { aspect: string; class: 'driver' | 'constraint' | 'float' }[];
  /**
   * dcf: this respondent's verdict (more than 2 drivers or constraints, or fewer than 2 floats),
   * decided when the answer is stored, so a report counts flags instead of reading responses.
   */
  atRisk?: boolean;
};

export type VoteDoc = { itemId: string; aspect: string; class: 'driver' | 'constraint' | 'float' };

/**
 * One respondent's answers to one round, never split across documents. Anonymous by design
 * (DESIGN.md, "Anonymity, in the data itself"): a random `_id` instead of an ObjectId (which
 * embeds its creation time), the day only instead of a timestamp, nothing that links to a
 * person or to the link token; the respondent's edit key is stored only as a hash.
 */
export type ResponseDoc = {
  _id: string;
  workspaceId: string;
  roundId: string;
  editKeyHash: string;
  /** The day of the last change, YYYY-MM-DD (UTC). */
  day: string;
  answers: AnswerDoc[];
  /**
   * dcf classifications again, flat (derived from `answers` on every write, in the same
   * document): not every supported server can `$unwind` an array nested in an unwound one, so reports
   * count these with a single `$unwind`.
   */
  votes?: VoteDoc[];
  /** Named rounds only. */
  respondentName?: string;
  respondentRole?: string;
};

const answerSchema = new Schema<AnswerDoc>(
  {
    itemId: { type: String, required: true },
    value: { type: Number },
    desired: { type: Number },
    cantSay: { type: Boolean },
    text: { type: String, maxlength: 5000 },
    classes: {
      type: [
        new Schema(
          {
            aspect: { type: String, required: true },
            class: { type: String, enum: ['driver', 'constraint', 'float'], required: true },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    atRisk: { type: Boolean },
  },
  { _id: false },
);

const responseSchema = new Schema<ResponseDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    roundId: { type: String, required: true },
    editKeyHash: { type: String, required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    answers: { type: [answerSchema], required: true },
    votes: {
      type: [
        new Schema<VoteDoc>(
          {
            itemId: { type: String, required: true },
            aspect: { type: String, required: true },
            class: { type: String, enum: ['driver', 'constraint', 'float'], required: true },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    respondentName: { type: String, maxlength: 80 },
    respondentRole: { type: String, maxlength: 80 },
  },
  { collection: 'responses', versionKey: false },
);

/**
 * The storage backstop: the repository validates every document with this schema before it
 * writes it through the driver, into the collection its layout chooses (response.repository.ts,
 * which also makes the unique index on round and key).
 */
export function responseModel(conn: Connection) {
  return modelOn(conn, 'Response', responseSchema);
}
