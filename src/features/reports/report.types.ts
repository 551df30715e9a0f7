import type { ItemKind } from '../questionnaires';
import type { Lean, ScaleStats } from './statistics';

/** Figures of one scale (the histogram and its statistics); null wherever n < k applies. */
export type Figures = ScaleStats;

export type ItemReport = Readonly<{
  itemId: string;
  kind: ItemKind;
  number: number;
  dimension: string;
  title: string;
  /** True when the group answering this item is smaller than k (anonymous rounds): no figures. */
  suppressed: boolean;
  n: number;
  /** tension, maturity: the answers; practice: the 1–5 ratings (null without a rating). */
  figures: Figures | null;
  points: number;
  tension?: Readonly<{
    left: Readonly<{ label: string; good: string; risk: string }>;
    right: Readonly<{ label: string; good: string; risk: string }>;
    lean: Lean | null;
    desired: Figures | null;
    gap: number | null;
  }>;
  maturity?: Readonly<{ levels: readonly string[]; score100: number | null }>;
  practice?: Readonly<{
    ratingQuestion: string | null;
    comments: readonly Readonly<{ text: string; name?: string }>[];
  }>;
  dcf?: Readonly<{
    atRiskShare: number | null;
    respondents: number;
    aspects: readonly Readonly<{
      key: string;
      label: string;
      n: number;
      driver: number | null;
      constraint: number | null;
      float: number | null;
      disputed: boolean;
    }>[];
  }>;
}>;

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
  /** True when the whole round is below k: no figure and no comment anywhere. */
  suppressed: boolean;
  dimensions: readonly DimensionReport[];
  items: readonly ItemReport[];
  /** Items with consensus below the threshold, lowest consensus first. */
  discuss: readonly Readonly<{
    itemId: string;
    number: number;
    title: string;
    consensus: number;
  }>[];
}>;
