import {
  comparability,
  traceItems,
  type Item,
  type Lineage,
  type LineageNode,
  type VersionKey,
} from '../../../src/features/questionnaires';
import {
  ancestors,
  lineageIssues,
  retiredIds,
} from '../../../src/features/questionnaires/questionnaire.lineage';
import { aMaturityItem, aPracticeItem, aTensionItem } from '../../support/factories';

const tension = aTensionItem() as Item;
const maturity = aMaturityItem() as Item;
const practice = aPracticeItem() as Item;
const reworded = { ...tension, prompt: 'Do we keep to the plan or change it?' } as Item;
const changedMaturity = { ...maturity, statement: 'Work is finished.' } as Item;

function node(
  slug: string,
  version: number,
  items: readonly Item[],
  extra: { lineage?: Lineage; derivedFrom?: VersionKey } = {},
): LineageNode {
  return {
    slug,
    version,
    items,
    lineage: extra.lineage ?? {},
    derivedFrom: extra.derivedFrom ?? null,
  };
}

const v = (slug: string, version: number): VersionKey => ({ slug, version });

describe('lineageIssues', () => {
  const sections = (...items: Item[]) => [{ items }];

  it('asks for every edited item, at lineage.<id>, and nothing for unchanged ones', () => {
    const issues = lineageIssues({
      previous: [tension, maturity, practice],
      retired: new Set(),
      sections: sections(reworded, changedMaturity, practice),
      lineage: {},
    });

    expect(issues).toEqual([
      {
        path: 'lineage.plan-or-adapt',
        message:
          'Say whether the meaning of item "plan-or-adapt" changed or only its words: "changed" or "reworded".',
      },
      {
        path: 'lineage.visible-work',
        message:
          'Say whether the meaning of item "visible-work" changed or only its words: "changed" or "reworded".',
      },
    ]);
  });

  it('takes a complete lineage, and refuses entries for unedited, new or unknown items', () => {
    const base = {
      previous: [tension, maturity],
      retired: new Set<string>(),
      sections: sections(reworded, maturity, practice),
    };
    expect(lineageIssues({ ...base, lineage: { 'plan-or-adapt': 'reworded' } })).toEqual([]);

    const issues = lineageIssues({
      ...base,
      lineage: {
        'plan-or-adapt': 'reworded',
        'visible-work': 'changed',
        'dashboard-decision': 'reworded',
        nowhere: 'changed',
      },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'lineage.visible-work',
      'lineage.dashboard-decision',
      'lineage.nowhere',
    ]);
    expect(issues[0]?.message).toContain('is the same as in the previous version');
    expect(issues[1]?.message).toContain('There is no item "dashboard-decision" in both');
  });

  it('refuses a first version’s lineage and the id of a removed item, at the item', () => {
    expect(
      lineageIssues({
        previous: null,
        retired: new Set(),
        sections: sections(tension),
        lineage: { 'plan-or-adapt': 'reworded' },
      }).map((i) => i.path),
    ).toEqual(['lineage.plan-or-adapt']);

    const issues = lineageIssues({
      previous: [tension],
      retired: new Set(['visible-work']),
      sections: sections(tension, maturity),
      lineage: {},
    });
    expect(issues).toEqual([
      {
        path: 'sections.0.items.1.id',
        message:
          'Item id "visible-work" was removed in an earlier version, and ids of removed items cannot come back: give this item a new id.',
      },
    ]);
  });
});

describe('retiredIds and ancestors', () => {
  it('walks back through the versions and into a fork’s origin', () => {
    const nodes = [
      node('origin', 1, [tension, maturity, practice]),
      node('origin', 2, [tension, maturity]),
      node('fork', 1, [tension, maturity], { derivedFrom: v('origin', 2) }),
      node('fork', 2, [tension]),
    ];

    const chain = ancestors(nodes, v('fork', 2));

    expect(chain.map((n) => `${n.slug}@${n.version}`)).toEqual([
      'fork@2',
      'fork@1',
      'origin@2',
      'origin@1',
    ]);
    expect([...retiredIds(chain)].sort()).toEqual(['dashboard-decision', 'visible-work']);
    expect(retiredIds([])).toEqual(new Set());
  });
});

describe('traceItems', () => {
  const nodes = [
    node('q', 1, [tension, maturity, practice]),
    node('q', 2, [reworded, maturity, practice], { lineage: { 'plan-or-adapt': 'reworded' } }),
    node('q', 3, [reworded, changedMaturity], { lineage: { 'visible-work': 'changed' } }),
    node(
      'q',
      4,
      [
        { ...reworded, prompt: 'Plan or adapt?' } as Item,
        changedMaturity,
        { ...practice, id: 'new-one' },
      ],
      {
        lineage: { 'plan-or-adapt': 'changed' },
      },
    ),
  ];

  it('combines the steps: any change makes changed, else any rewording makes reworded', () => {
    expect(Object.fromEntries(traceItems(nodes, v('q', 1), v('q', 3))!)).toEqual({
      'plan-or-adapt': 'reworded',
      'visible-work': 'changed',
      'dashboard-decision': 'removed',
    });
    expect(Object.fromEntries(traceItems(nodes, v('q', 2), v('q', 4))!)).toEqual({
      'plan-or-adapt': 'changed',
      'visible-work': 'changed',
      'dashboard-decision': 'removed',
      'new-one': 'added',
    });
    expect(Object.fromEntries(traceItems(nodes, v('q', 3), v('q', 3))!)).toEqual({
      'plan-or-adapt': 'same',
      'visible-work': 'same',
    });
  });

  it('counts an edit no version recorded (before lineage, built-ins) as changed', () => {
    const old = [node('b', 1, [tension, maturity]), node('b', 2, [reworded, maturity])];
    expect(Object.fromEntries(traceItems(old, v('b', 1), v('b', 2))!)).toEqual({
      'plan-or-adapt': 'changed',
      'visible-work': 'same',
    });
  });

  it('is null for versions without a shared history', () => {
    expect(
      traceItems([node('a', 1, [tension]), node('b', 1, [tension])], v('a', 1), v('b', 1)),
    ).toBeNull();
  });
});

describe('comparability', () => {
  // The built-in "origin" v1; its fork rewords the tension, changes the maturity item and adds one.
  const nodes = [
    node('origin', 1, [tension, maturity, practice]),
    node('fork', 1, [tension, maturity, practice], { derivedFrom: v('origin', 1) }),
    node('fork', 2, [reworded, changedMaturity, practice, { ...practice, id: 'ours' }], {
      lineage: { 'plan-or-adapt': 'reworded', 'visible-work': 'changed' },
    }),
    node('origin', 2, [tension, maturity], {}),
    node('other-fork', 1, [tension, maturity], { derivedFrom: v('origin', 2) }),
  ];

  it('compares a fork with its origin across the fork', () => {
    expect(comparability(nodes, v('origin', 1), v('fork', 2))).toEqual({
      'plan-or-adapt': { change: 'reworded', comparable: true },
      'visible-work': { change: 'changed', comparable: false },
      'dashboard-decision': { change: 'same', comparable: true },
      ours: { change: 'absent', comparable: false },
    });
  });

  it('compares two forks of one origin through their common version, either way round', () => {
    const one = comparability(nodes, v('fork', 2), v('other-fork', 1));
    const other = comparability(nodes, v('other-fork', 1), v('fork', 2));

    expect(one).toEqual(other);
    expect(one).toEqual({
      'plan-or-adapt': { change: 'reworded', comparable: true },
      'visible-work': { change: 'changed', comparable: false },
      'dashboard-decision': { change: 'absent', comparable: false },
      ours: { change: 'absent', comparable: false },
    });
  });

  it('compares nothing between questionnaires without a shared history', () => {
    const unrelated = [node('a', 1, [tension]), node('b', 1, [tension])];
    expect(comparability(unrelated, v('a', 1), v('b', 1))).toEqual({
      'plan-or-adapt': { change: 'absent', comparable: false },
    });
  });
});
