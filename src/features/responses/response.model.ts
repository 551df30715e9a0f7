import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';

/** One answer of one item; which fields are set depends on the item's kind. */
export type AnswerDoc = {
  itemId: string;
  /** tension and maturity: the point on the scale; practice: the 1–5 rating. */
  value?: number;
  /** tension with askDesired: where the team should be. */
  desired?: number;
  /** practice: the free text. */
  text?: string;
  /** dcf: one entry per aspect (objects, not nested arrays: FerretDB 1.x stores no arrays of arrays). */
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
   * document): FerretDB 1.x cannot `$unwind` an array nested in an unwound array, so reports
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
// One response per respondent key and round: a double submit cannot store two.
responseSchema.index({ roundId: 1, editKeyHash: 1 }, { unique: true });

export function responseModel(conn: Connection) {
  return modelOn(conn, 'Response', responseSchema);
}

/**
 * The counts of a round that no one can answer any more (closed, and settled: see
 * ReportService), stored once so its reports, comparisons and trends read one small document
 * instead of counting the responses again. Its size depends on items × scale points only.
 */
export type CountsSnapshotDoc = {
  /** The round's id: one snapshot per round, and a second writer fails harmlessly. */
  _id: string;
  n: number;
  answers: {
    itemId: string;
    value: number | null;
    desired: number | null;
    atRisk: boolean | null;
    n: number;
  }[];
  votes: { itemId: string; aspect: string; class: 'driver' | 'constraint' | 'float'; n: number }[];
  createdAt: Date;
};

const countsSnapshotSchema = new Schema<CountsSnapshotDoc>(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true },
    answers: {
      type: [
        new Schema(
          {
            itemId: { type: String, required: true },
            value: { type: Number, default: null },
            desired: { type: Number, default: null },
            atRisk: { type: Boolean, default: null },
            n: { type: Number, required: true },
          },
          { _id: false },
        ),
      ],
      required: true,
    },
    votes: {
      type: [
        new Schema(
          {
            itemId: { type: String, required: true },
            aspect: { type: String, required: true },
            class: { type: String, enum: ['driver', 'constraint', 'float'], required: true },
            n: { type: Number, required: true },
          },
          { _id: false },
        ),
      ],
      required: true,
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'response_count_snapshots', versionKey: false },
);

export function countsSnapshotModel(conn: Connection) {
  return modelOn(conn, 'ResponseCountsSnapshot', countsSnapshotSchema);
}
