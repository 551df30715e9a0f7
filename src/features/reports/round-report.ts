import type { DiscussEntry, Figures, ItemReport } from './report.types';

/**
 * What a round report is, as data: the item accessors every consumer shares. Each switches on
 * the item's `kind`, so a new kind is named by the compiler wherever it needs a decision.
 */

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
