import { createHash } from 'node:crypto';
import {
  type DCF_CLASSES,
  PRACTICE_RATING_POINTS,
  TENSION_SCALE_POINTS,
  type Item,
  type QuestionnaireDefinition,
} from '../questionnaires';
import type { ResponseText, RoundCounts } from '../responses';
import { participationOf, type Round } from '../rounds';
import type {
  DimensionReport,
  DiscussEntry,
  Figures,
  ItemReport,
  MaturityItemReport,
  RoundReport,
} from './report.types';
import {
  aspectShares,
  describeScale,
  dimensionScore,
  dcfDiscussionOf,
  discussionOf,
  leanOf,
  score100,
  type Histogram,
} from './statistics';

/**
 * What a round report is, as data: built from the round, its questionnaire and its counts by a
 * pure function, with the anonymity rule applied here, once, before any page, API answer or
 * export sees the data; and the item accessors every consumer shares, each a switch on the
 * item's `kind`, so that the compiler names a new kind wherever it needs a decision.
 */

/** An item's text as people read it: a maturity item's statement, another's prompt. */
export const titleOf = (item: Item) => (item.kind === 'maturity' ? item.statement : item.prompt);

function pointsOf(item: Item): number {
  switch (item.kind) {
    case 'tension':
      return TENSION_SCALE_POINTS;
    case 'maturity':
      return item.levels.length;
    case 'practice':
      return PRACTICE_RATING_POINTS;
    case 'dcf':
      return 0;
  }
}

function emptyHistogram(points: number): number[] {
  return Array.from({ length: points }, () => 0);
}

/**
 * An order for free texts that does not follow submission time (DESIGN.md): by a hash of the
 * text and the round, so it is stable between views and unrelated to who answered when.
 */
function shuffled<T extends { text: string }>(roundId: string, texts: readonly T[]): T[] {
  const key = (t: T) => createHash('sha256').update(`${roundId}\u0000${t.text}`).digest('hex');
  return [...texts]
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => a.k.localeCompare(b.k))
    .map((x) => x.t);
}

/**
 * A round's report from its counts and texts. In an anonymous round no figure of a group
 * smaller than k is shown: the whole report when fewer than k responded, an item when fewer
 * than k answered it; comments only when the round has at least k responses (a tension's
 * "why?" only where its answers reach k). `round.status` is shown as given: the caller passes
 * the effective status (a round past its closing time reads closed).
 */
export function buildRoundReport(
  round: Round,
  team: Readonly<{ name: string; expectedSize: number | null }>,
  definition: QuestionnaireDefinition,
  { n, answers, votes }: RoundCounts,
  texts: readonly ResponseText[],
): RoundReport {
  const anonymous = round.anonymity === 'anonymous';
  const k = anonymous ? round.minGroupSize : 1;
  const roundSuppressed = n < k;
  const below = (count: number) => roundSuppressed || count < k;

  const histogramFor = (itemId: string, points: number, field: 'value' | 'desired'): Histogram => {
    const h = emptyHistogram(points);
    for (const row of answers) {
      const v = row[field];
      if (row.itemId === itemId && v !== null && v >= 1 && v <= points) h[v - 1]! += row.n;
    }
    return h;
  };
  const respondents = (itemId: string, atRisk?: boolean) =>
    answers
      .filter(
        (r) =>
          r.itemId === itemId && r.atRisk !== null && (atRisk === undefined || r.atRisk === atRisk),
      )
      .reduce((sum, r) => sum + r.n, 0);

  /** An item's free texts, shuffled; without names in anonymous rounds. */
  const commentsOn = (itemId: string) =>
    shuffled(
      round.id,
      texts
        .filter((t) => t.itemId === itemId)
        .map((t) => ({ text: t.text, ...(anonymous || !t.name ? {} : { name: t.name }) })),
    );

  /** "Can't say" answers of a scale item: counted with no value. */
  const cantSayOf = (itemId: string) =>
    answers.filter((r) => r.itemId === itemId && r.value === null).reduce((sum, r) => sum + r.n, 0);

  const answeredBy = (itemId: string) =>
    answers.filter((r) => r.itemId === itemId).reduce((sum, r) => sum + r.n, 0);
  const noDiscussion = discussionOf({ consensus: null, gap: null, points: 0 });

  /** What a tension or maturity item shows of its answers: all of it from k on, else nothing. */
  const answersOn = (itemId: string, figures: Figures, points: number, gap: number | null) => {
    const suppressed = below(figures.n);
    return {
      suppressed,
      n: suppressed ? 0 : figures.n,
      figures: suppressed ? null : figures,
      cantSay: suppressed ? null : cantSayOf(itemId),
      discussion: suppressed
        ? noDiscussion
        : discussionOf({ consensus: figures.consensus, gap, points }),
    };
  };

  let number = 0;
  const items: ItemReport[] = definition.sections
    .flatMap((s) => s.items)
    .map((item) => {
      number += 1;
      const points = pointsOf(item);
      const common = {
        itemId: item.id,
        number,
        dimension: item.dimension,
        title: titleOf(item),
      };
      const base = { ...common, points };
      switch (item.kind) {
        case 'tension': {
          const h = histogramFor(item.id, points, 'value');
          const current = describeScale(h);
          const desired = item.askDesired
            ? describeScale(histogramFor(item.id, points, 'desired'))
            : null;
          const suppressed = below(current.n);
          const desiredShown = desired && !below(desired.n) && !suppressed ? desired : null;
          const gap =
            desiredShown && desiredShown.mean !== null && current.mean !== null
              ? desiredShown.mean - current.mean
              : null;
          return {
            ...base,
            ...answersOn(item.id, current, points, gap),
            kind: 'tension',
            left: item.left,
            right: item.right,
            lean: suppressed ? null : leanOf(h),
            desired: desiredShown,
            gap,
            // The "why?" of each answer, only where the item's answers reach k.
            comments: suppressed ? [] : commentsOn(item.id),
          };
        }
        case 'maturity': {
          const figures = describeScale(histogramFor(item.id, points, 'value'));
          const suppressed = below(figures.n);
          return {
            ...base,
            ...answersOn(item.id, figures, points, null),
            kind: 'maturity',
            levels: item.levels.map((l) => l.label),
            score100: suppressed ? null : score100(figures.mean, points),
          };
        }
        case 'practice': {
          // DESIGN.md: n and the figures are the ratings'; `answered` counts everyone who
          // rated, wrote or both; each is shown only from k on; comments from k responses on.
          const ratings = item.rating
            ? describeScale(histogramFor(item.id, points, 'value'))
            : null;
          const ratingsShown = ratings && !below(ratings.n) ? ratings : null;
          const answered = answeredBy(item.id);
          const comments = roundSuppressed ? [] : commentsOn(item.id);
          return {
            ...base,
            suppressed: roundSuppressed || (ratings !== null && ratingsShown === null),
            n: ratingsShown?.n ?? 0,
            figures: ratingsShown,
            discussion: ratingsShown
              ? discussionOf({ consensus: ratingsShown.consensus, gap: null, points })
              : noDiscussion,
            kind: 'practice',
            ratingQuestion: item.rating?.question ?? null,
            answered: below(answered) ? null : answered,
            comments,
          };
        }
        case 'dcf': {
          const answered = respondents(item.id);
          const atRisk = respondents(item.id, true);
          const suppressed = below(answered);
          const votesFor = (aspect: string, cls: (typeof DCF_CLASSES)[number]) =>
            votes.find((c) => c.itemId === item.id && c.aspect === aspect && c.class === cls)?.n ??
            0;
          const aspects = suppressed
            ? []
            : item.aspects.map((a) => ({
                key: a.key,
                label: a.label,
                ...aspectShares({
                  driver: votesFor(a.key, 'driver'),
                  constraint: votesFor(a.key, 'constraint'),
                  float: votesFor(a.key, 'float'),
                }),
              }));
          return {
            ...common,
            kind: 'dcf',
            suppressed,
            n: suppressed ? 0 : answered,
            discussion: dcfDiscussionOf(aspects),
            atRiskShare: suppressed || answered === 0 ? null : atRisk / answered,
            aspects,
          };
        }
      }
    });

  const dimensions: DimensionReport[] = definition.dimensions.map((d) => {
    const own = items.filter((i) => i.dimension === d.key);
    const maturity = own.filter(
      (i): i is MaturityItemReport => i.kind === 'maturity' && !i.suppressed,
    );
    const { score, score100: s100 } = dimensionScore(
      maturity.map((i) => ({ mean: i.figures?.mean ?? null, points: i.points })),
    );
    return {
      key: d.key,
      label: d.label,
      description: d.description,
      suppressed: own.length > 0 && own.every((i) => i.suppressed),
      score,
      score100: s100,
      itemIds: own.map((i) => i.itemId),
    };
  });

  const discuss = items
    .flatMap((i): DiscussEntry[] =>
      i.discussion.priority !== null
        ? [
            {
              itemId: i.itemId,
              number: i.number,
              kind: i.kind,
              title: i.title,
              priority: i.discussion.priority,
              reasons: i.discussion.reasons,
              consensus: figuresOf(i)?.consensus ?? null,
              ...discussContextOf(i),
            },
          ]
        : [],
    )
    // Array.prototype.sort is stable: equal priorities keep the questionnaire's order.
    .sort((a, b) => b.priority - a.priority);

  return {
    round: {
      id: round.id,
      title: round.title,
      status: round.status,
      anonymity: round.anonymity,
      minGroupSize: round.minGroupSize,
      openedAt: round.openedAt,
      closedAt: round.closedAt,
      closesAt: round.closesAt,
    },
    team: { id: round.teamId, name: team.name },
    questionnaire: {
      slug: round.questionnaire.slug,
      version: round.questionnaire.version,
      title: definition.title,
    },
    n,
    participation: participationOf({ ...round, n, expected: team.expectedSize }),
    suppressed: roundSuppressed,
    dimensions,
    items,
    discuss,
  };
}

/** For the `default` of an exhaustive switch: the compiler names a kind left out. */
export function unknownKind(item: never): never {
  throw new Error(`Unknown item kind: ${(item as { kind: string }).kind}`);
}

/** The figures of an item answered on a scale; a dcf item has none. */
export function figuresOf(item: ItemReport): Figures | null {
  switch (item.kind) {
    case 'tension':
    case 'maturity':
    case 'practice':
      return item.figures;
    case 'dcf':
      return null;
    default:
      return unknownKind(item);
  }
}

/**
 * What the discuss list says beside an item: a tension's lean, gap and poles, a dcf item's
 * disputed aspects; nothing for the other kinds.
 */
export function discussContextOf(
  item: ItemReport,
): Pick<DiscussEntry, 'disputed' | 'gap' | 'lean' | 'left' | 'right'> {
  const none = { disputed: [], gap: null, lean: null, left: null, right: null };
  switch (item.kind) {
    case 'tension':
      return {
        ...none,
        gap: item.gap,
        lean: item.lean,
        left: item.left.label,
        right: item.right.label,
      };
    case 'dcf':
      return { ...none, disputed: item.aspects.filter((a) => a.disputed).map((a) => a.label) };
    case 'maturity':
    case 'practice':
      return none;
    default:
      return unknownKind(item);
  }
}
