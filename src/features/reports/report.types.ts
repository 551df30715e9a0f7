import type { ItemComparison, ItemKind } from '../questionnaires';
import type { Participation } from '../rounds';
import type { DiscussReason, Discussion, Lean, ScaleStats } from './statistics';
import type { ActionBrief } from '../actions';

/** Figures of one scale (the histogram and its statistics); null wherever n < k applies. */
export type Figures = ScaleStats;

/** A free text shown with an item: a practice answer or a tension's "why?". */
export type Comment = Readonly<{ text: string; name?: string }>;

export type Pole = Readonly<{ label: string; good: string; risk: string }>;

/** What every item's report has, whatever its kind. */
type ItemCommon = Readonly<{
  itemId: string;
  number: number;
  dimension: string;
  title: string;
  /** True when the group answering this item is smaller than k (anonymous rounds): no figures. */
  suppressed: boolean;
  /** The number of answers counted (practice: ratings; dcf: respondents); 0 when suppressed. */
  n: number;
  /** On the discuss list or not, why, and its priority (DESIGN.md); off for suppressed items. */
  discussion: Discussion;
}>;

/** What the items answered on a scale have: its size, and the figures of the answers. */
type ScaleCommon = Readonly<{
  points: number;
  /** tension, maturity: the answers; practice: the 1–5 ratings (null without a rating). */
  figures: Figures | null;
}>;

/**
 * How many answered "can't say" (never in n or the histogram); shown only with the item's
 * figures (null when suppressed).
 */
type CantSay = Readonly<{ cantSay: number | null }>;

export type TensionItemReport = ItemCommon &
  ScaleCommon &
  CantSay &
  Readonly<{
    kind: 'tension';
    left: Pole;
    right: Pole;
    lean: Lean | null;
    desired: Figures | null;
    gap: number | null;
    /** Why people answered so (optional "why?"), shuffled; none below k. */
    comments: readonly Comment[];
  }>;

export type MaturityItemReport = ItemCommon &
  ScaleCommon &
  CantSay &
  Readonly<{ kind: 'maturity'; levels: readonly string[]; score100: number | null }>;

export type PracticeItemReport = ItemCommon &
  ScaleCommon &
  Readonly<{
    kind: 'practice';
    ratingQuestion: string | null;
    /** Respondents who gave a rating, a text or both; null below k. */
    answered: number | null;
    comments: readonly Comment[];
  }>;

export type DcfAspect = Readonly<{
  key: string;
  label: string;
  n: number;
  driver: number | null;
  constraint: number | null;
  float: number | null;
  disputed: boolean;
}>;

/** A dcf item has no scale: `n` counts its respondents, its figures are the aspects' shares. */
export type DcfItemReport = ItemCommon &
  Readonly<{
    kind: 'dcf';
    atRiskShare: number | null;
    aspects: readonly DcfAspect[];
  }>;

/** One item's report: each kind carries its own fields (switch on `kind`). */
export type ItemReport =
  TensionItemReport | MaturityItemReport | PracticeItemReport | DcfItemReport;

export type DimensionReport = Readonly<{
  key: string;
  label: string;
  description: string;
  suppressed: boolean;
  /** Maturity items only; null when the dimension has none. */
  score: number | null;
  score100: number | null;
  itemIds: readonly string[];
}>;

export type RoundReport = Readonly<{
  round: Readonly<{
    id: string;
    title: string;
    status: string;
    anonymity: 'anonymous' | 'named';
    minGroupSize: number;
    openedAt: Date | null;
    closedAt: Date | null;
    closesAt: Date | null;
  }>;
  team: Readonly<{ id: string; name: string }>;
  questionnaire: Readonly<{ slug: string; version: number; title: string }>;
  n: number;
  /** n of the team's expected size, and whether k is reached. */
  participation: Participation;
  /** True when the whole round is below k: no figure and no comment anywhere. */
  suppressed: boolean;
  dimensions: readonly DimensionReport[];
  items: readonly ItemReport[];
  /** The discuss list (DESIGN.md): highest priority first, ties in questionnaire order. */
  discuss: readonly DiscussEntry[];
}>;

export type DiscussEntry = Readonly<{
  itemId: string;
  number: number;
  kind: ItemKind;
  title: string;
  priority: number;
  reasons: readonly DiscussReason[];
  /** Null for a dcf item, which has no consensus: its disagreement is on `disputed`. */
  consensus: number | null;
  /** dcf: the labels of the aspects respondents disagree on; empty for the other kinds. */
  disputed: readonly string[];
  /** Tensions with desired answers shown: desired mean − current mean. */
  gap: number | null;
  lean: Lean | null;
  left: string | null;
  right: string | null;
}>;

/**
 * A round report as a coach reads it: opened by its summary, with the follow-up of the actions
 * agreed since the team's previous round of the questionnaire, and those agreed on this one.
 */
export type SummarizedReport = RoundReport &
  Readonly<{
    summary: ReportSummary;
    actions: readonly FollowUp[];
    agreedActions: readonly ActionBrief[];
  }>;

/** A team and its rounds with answers, for the comparison's picker. */
export type PickerTeam = Readonly<{
  id: string;
  name: string;
  rounds: readonly Readonly<{
    id: string;
    title: string;
    slug: string;
    /**
     * The slug its questionnaire's lineage starts from (a fork's origin): rounds of one family
     * can be compared, item by item where lineage says they are comparable.
     */
    family: string;
    questionnaireTitle: string;
    /** When it opened (rounds offered are open or closed), to preselect a team's latest. */
    openedAt: Date | null;
  }>[];
}>;

/**
 * Per item id, whether answers to it in two rounds can be compared, from the questionnaire's
 * lineage (DESIGN.md): a new version may have reworded an item (still comparable) or changed
 * its meaning (not comparable), and a fork shares its origin's ids where it kept them.
 */
export type Comparability = Readonly<Record<string, ItemComparison>>;

/** An item of both rounds that is not compared, because its meaning changed between them. */
export type NotCompared = Readonly<{ itemId: string; number: number; title: string }>;

// The follow-up of actions (follow-up.ts) and the summary (summary.ts), kept here with the
// report they are part of, so the modules that build them import this one and not the reverse.

/** What an item's figures were in one round. */
export type ItemFigures = Readonly<{
  n: number;
  mean: number;
  consensus: number | null;
  lean: Lean | null;
}>;

/**
 * - `compared`: both rounds have figures of the item, and its meaning is the same in both
 *   (a version that only reworded it keeps it comparable);
 * - `not-comparable`: a new questionnaire version changed the item's meaning;
 * - `below-k`: too few answers on one side (anonymous rounds): no figure on either;
 * - `no-figures`: the item has no figures to compare (a dcf item, a practice item without a
 *   rating);
 * - `not-asked`: this round's questionnaire has no such item.
 */
export type Comparison = 'compared' | 'not-comparable' | 'below-k' | 'no-figures' | 'not-asked';

export type FollowUp = ActionBrief &
  Readonly<{
    /** Null for an action without an item. */
    comparison: Comparison | null;
    before: ItemFigures | null;
    after: ItemFigures | null;
    /** after.mean − before.mean, on the item's scale. */
    change: number | null;
    /** Tensions with a target pole: whether the mean moved towards it (no move: false). */
    towardsTarget: boolean | null;
  }>;

export type Move = Readonly<{
  itemId: string;
  number: number;
  kind: ItemReport['kind'];
  title: string;
  before: number;
  after: number;
  /** after − before, on the item's own scale of `points`. */
  change: number;
  points: number;
  /** Tensions: the lean then and now, and the poles' labels. */
  leanBefore: Lean | null;
  leanAfter: Lean | null;
  left: string | null;
  right: string | null;
}>;

export type ReportSummary = Readonly<{
  n: number;
  /** The team's expected size and n / expected, when the coach has said how big the team is. */
  expected: number | null;
  responseRate: number | null;
  minGroupSize: number;
  /** Anonymous rounds: whether enough people answered for any figure to be shown. */
  belowK: boolean;
  /** Maturity dimensions with a score, on 0–100. */
  dimensions: readonly Readonly<{ key: string; label: string; score100: number }>[];
  /** Every tension with figures: where the team stands, and where it wants to be. */
  tensions: readonly Readonly<{
    itemId: string;
    number: number;
    title: string;
    left: string;
    right: string;
    mean: number;
    desiredMean: number | null;
    lean: Lean | null;
  }>[];
  /** Practice items with shown ratings: the mean rating (1–5). */
  ratings: readonly Readonly<{ itemId: string; number: number; title: string; mean: number }>[];
  /** dcf items with figures: the verdict, and the aspects respondents disagree on. */
  dcf: readonly Readonly<{
    itemId: string;
    title: string;
    atRiskShare: number;
    respondents: number;
    disputed: readonly string[];
  }>[];
  /** The first items of the discuss list, and how many more there are. */
  discuss: readonly DiscussEntry[];
  moreToDiscuss: number;
  /** The team's previous round of this questionnaire, if there is one. */
  previous: Readonly<{
    roundId: string;
    title: string;
    openedAt: Date | null;
    n: number;
    suppressed: boolean;
    /** Its questionnaire's version. */
    version: number;
    versionChanged: boolean;
  }> | null;
  /** The largest moves since then, largest first (share of the scale's width). */
  changes: readonly Move[];
  /** Items of both rounds left out of `changes` because their meaning changed in between. */
  notComparable: number;
  /** Those items, in questionnaire order. */
  notComparableItems: readonly NotCompared[];
  /** The team's open actions, from any round, most urgent first (overdue ones marked). */
  openActions: readonly ActionBrief[];
}>;
