import { isDeepStrictEqual } from 'node:util';
import type { FieldIssue } from '../../shared/errors';
import type { Item, ItemChange, Section } from './questionnaire.schemas';

/**
 * Questionnaire lineage (DESIGN.md): an item keeps its id across versions, and a version says
 * for each item it edited whether the meaning changed (`changed`) or only the words
 * (`reworded`). Pure functions over plain versions, so the rules are unit-tested without a
 * database and the report side can ask the same question the diff page answers.
 */

export type { ItemChange };
/** Per edited item id: what the edit did to it, relative to the version before. */
export type Lineage = Readonly<Record<string, ItemChange>>;

/** A version of a questionnaire by slug and number. */
export type VersionKey = Readonly<{ slug: string; version: number }>;

/** What lineage needs of one stored version. */
export type LineageNode = Readonly<{
  slug: string;
  version: number;
  /** A fork's origin; set on the fork's first version only. */
  derivedFrom: VersionKey | null;
  lineage: Lineage;
  items: readonly Item[];
}>;

/** An item between two versions, seen from the first towards the second. */
export type ItemStatus = 'added' | 'removed' | 'same' | ItemChange;

/** Whether an item of one version can be compared with the same id in another. */
export type ItemComparison = Readonly<{
  /** `absent`: not in both versions, or the versions share no history. */
  change: 'same' | ItemChange | 'absent';
  /** Only `same` and `reworded` items are comparable. */
  comparable: boolean;
}>;

const keyOf = (key: VersionKey) => `${key.slug}@${key.version}`;

/** Whether an item was edited: any difference in its JSON (its id is what matches the two). */
export const isEdited = (before: Item, after: Item): boolean => !isDeepStrictEqual(before, after);

/**
 * The version a version was made from: the one before it of the same slug, or for a fork's
 * first version its origin. Null for a first version that is no fork.
 */
export function parentOf(node: LineageNode): VersionKey | null {
  return node.version > 1 ? { slug: node.slug, version: node.version - 1 } : node.derivedFrom;
}

function indexNodes(nodes: readonly LineageNode[]): Map<string, LineageNode> {
  return new Map(nodes.map((n) => [keyOf(n), n]));
}

/** The version and the ones it was made from, newest first, as far as `nodes` reach. */
function ancestry(index: ReadonlyMap<string, LineageNode>, key: VersionKey): LineageNode[] {
  const chain: LineageNode[] = [];
  const seen = new Set<string>();
  let next: VersionKey | null = key;
  // CASE: a cycle cannot be stored (a fork's origin exists before it), but `seen` keeps a
  // hand-edited database from looping.
  while (next && !seen.has(keyOf(next))) {
    seen.add(keyOf(next));
    const node = index.get(keyOf(next));
    if (!node) break;
    chain.push(node);
    next = parentOf(node);
  }
  return chain;
}

/** `ancestry` for callers outside this module: the chain from `key` back to its first version. */
export function ancestors(nodes: readonly LineageNode[], key: VersionKey): LineageNode[] {
  return ancestry(indexNodes(nodes), key);
}

const itemsById = (items: readonly Item[]) => new Map(items.map((i) => [i.id, i]));

/**
 * Ids that earlier versions had and `chain[0]` (the version a new one is made from) no longer
 * has: they were removed and may never come back, or trends would join two different items.
 */
export function retiredIds(chain: readonly LineageNode[]): Set<string> {
  const [latest, ...earlier] = chain;
  if (!latest) return new Set();
  const current = new Set(latest.items.map((i) => i.id));
  return new Set(earlier.flatMap((n) => n.items.map((i) => i.id)).filter((id) => !current.has(id)));
}

const lineageMessages = {
  missing: (id: string) =>
    `Say whether the meaning of item "${id}" changed or only its words: "changed" or "reworded".`,
  notEdited: (id: string) =>
    `Item "${id}" is the same as in the previous version: leave it out of lineage.`,
  unknown: (id: string) =>
    `There is no item "${id}" in both this version and the previous one: lineage names edited items only.`,
  retired: (id: string) =>
    `Item id "${id}" was removed in an earlier version, and ids of removed items cannot come back: give this item a new id.`,
} as const;

/**
 * What is wrong with a new version's lineage, relative to the version it is made from
 * (`previous`, null for a first version that is no fork): every edited item needs an entry,
 * an entry needs an edited item, and no item may take the id of a removed one.
 */
export function lineageIssues(input: {
  previous: readonly Item[] | null;
  retired: ReadonlySet<string>;
  sections: readonly Pick<Section, 'items'>[];
  lineage: Lineage;
}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const before = itemsById(input.previous ?? []);
  const edited = new Set<string>();
  input.sections.forEach((section, s) => {
    section.items.forEach((item, i) => {
      if (input.retired.has(item.id)) {
        issues.push({
          path: `sections.${s}.items.${i}.id`,
          message: lineageMessages.retired(item.id),
        });
      }
      const old = before.get(item.id);
      if (old && isEdited(old, item)) edited.add(item.id);
    });
  });
  for (const id of edited) {
    if (!(id in input.lineage))
      issues.push({ path: `lineage.${id}`, message: lineageMessages.missing(id) });
  }
  const present = new Set(input.sections.flatMap((s) => s.items.map((i) => i.id)));
  for (const id of Object.keys(input.lineage)) {
    if (edited.has(id)) continue;
    const message =
      before.has(id) && present.has(id)
        ? lineageMessages.notEdited(id)
        : lineageMessages.unknown(id);
    issues.push({ path: `lineage.${id}`, message });
  }
  return issues;
}

/** What one step (a version made from its parent) did to an item both have. */
function stepChange(parent: LineageNode, child: LineageNode, id: string): 'same' | ItemChange {
  const recorded = child.lineage[id];
  if (recorded) return recorded;
  const before = parent.items.find((i) => i.id === id);
  const after = child.items.find((i) => i.id === id);
  // CASE: versions stored before lineage existed, and built-in versions, record nothing; an
  // edit nobody called a rewording counts as a change of meaning, never as comparable.
  return before && after && !isEdited(before, after) ? 'same' : 'changed';
}

const worst = (a: 'same' | ItemChange, b: 'same' | ItemChange): 'same' | ItemChange =>
  a === 'changed' || b === 'changed'
    ? 'changed'
    : a === 'reworded' || b === 'reworded'
      ? 'reworded'
      : 'same';

/**
 * Every item id of `from` and `to` with what happened to it on the way from one to the other:
 * through their latest common version, so versions of one slug, a fork and its origin, and two
 * forks of one origin compare alike. Null when the two share no version.
 */
export function traceItems(
  nodes: readonly LineageNode[],
  from: VersionKey,
  to: VersionKey,
): Map<string, ItemStatus> | null {
  const index = indexNodes(nodes);
  const up = ancestry(index, from);
  const down = ancestry(index, to);
  const first = up[0];
  const last = down[0];
  if (!first || !last) return null;
  const downKeys = new Set(down.map(keyOf));
  const meet = up.findIndex((n) => downKeys.has(keyOf(n)));
  if (meet < 0) return null;
  const common = keyOf(up[meet]!);
  // The versions on the way, and the steps between them (a child with its parent).
  const path = [
    ...up.slice(0, meet + 1),
    ...down.slice(
      0,
      down.findIndex((n) => keyOf(n) === common),
    ),
  ];
  const steps = path.flatMap((child) => {
    const parentKey = parentOf(child);
    const parent = parentKey && path.find((n) => keyOf(n) === keyOf(parentKey));
    return parent ? [{ parent, child }] : [];
  });

  const result = new Map<string, ItemStatus>();
  const inFrom = new Set(first.items.map((i) => i.id));
  const inTo = new Set(last.items.map((i) => i.id));
  for (const id of inTo) if (!inFrom.has(id)) result.set(id, 'added');
  for (const id of inFrom) {
    if (!inTo.has(id)) {
      result.set(id, 'removed');
      continue;
    }
    // CASE: an id missing somewhere on the way came back (only data from before the rule
    // can hold that): two different items under one id.
    const throughout = path.every((n) => n.items.some((i) => i.id === id));
    result.set(
      id,
      throughout
        ? steps.reduce<'same' | ItemChange>(
            (acc, s) => worst(acc, stepChange(s.parent, s.child, id)),
            'same',
          )
        : 'changed',
    );
  }
  return result;
}

/**
 * Per item id of either version: whether answers to it in `a` and in `b` can be compared.
 * `reworded` on the way keeps it comparable, `changed` does not, and an item that is not in
 * both (or versions without a shared history) is `absent`.
 */
export function comparability(
  nodes: readonly LineageNode[],
  a: VersionKey,
  b: VersionKey,
): Record<string, ItemComparison> {
  const traced = traceItems(nodes, a, b);
  const ids = new Set(
    [a, b].flatMap(
      (key) => nodes.find((n) => keyOf(n) === keyOf(key))?.items.map((i) => i.id) ?? [],
    ),
  );
  const result: Record<string, ItemComparison> = {};
  for (const id of ids) {
    const status = traced?.get(id);
    const change =
      status === 'same' || status === 'reworded' || status === 'changed' ? status : 'absent';
    result[id] = { change, comparable: change === 'same' || change === 'reworded' };
  }
  return result;
}
