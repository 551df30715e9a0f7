import { QuestionnaireDefinition, QuestionnaireDraft } from '../../../src/features/questionnaires';
import { humanMessage, toFieldIssues } from '../../../src/shared/http/validate';
import {
  aDcfItem,
  aDefinition,
  aMaturityItem,
  aPracticeItem,
  aTensionItem,
} from '../../support/factories';

/** Every problem of an input as "path: message", worded as the validate endpoint words them. */
function problems(input: unknown): string[] {
  const result = QuestionnaireDefinition.safeParse(input, { error: humanMessage });
  return result.success
    ? []
    : toFieldIssues(result.error.issues).map((i) => `${i.path}: ${i.message}`);
}

function withItems(...items: unknown[]) {
  return aDefinition({ sections: [{ id: 'main', title: 'Main', items: items as never }] });
}

describe('QuestionnaireDefinition', () => {
  it('refuses line breaks in titles and labels, and control characters anywhere, but keeps line breaks in longer texts', () => {
    expect(
      problems(
        aDefinition({
          title: 'Tensions\r\nBcc: x@y.example',
          summary: 'Two lines:\nthe second one.',
          dimensions: [{ key: 'ways', label: 'Flow\tand focus', description: 'Bell \u0007' }],
        }),
      ),
    ).toEqual([
      'title: Use one line, without tabs, line breaks or other control characters.',
      'dimensions.0.label: Use one line, without tabs, line breaks or other control characters.',
      'dimensions.0.description: Remove the control characters (only line breaks and tabs are allowed).',
    ]);
  });

  it('accepts a definition with every item kind and fills the defaults', () => {
    const parsed = QuestionnaireDefinition.parse(aDefinition({ language: undefined }));

    expect(parsed.language).toBe('en');
    const [tension, , practice] = parsed.sections[0]!.items;
    expect(tension).toMatchObject({ kind: 'tension', askDesired: false });
    expect(practice).toMatchObject({ kind: 'practice', maxLength: 1000, required: false });
  });

  it.each([
    [
      'duplicate item ids',
      withItems(aTensionItem({ id: 'same' }), aMaturityItem({ id: 'same' })),
      'sections.0.items.1.id: Duplicate item id "same"',
    ],
    [
      'a pole without a risk',
      withItems(aTensionItem({ left: { label: 'Plan', good: 'Good.' } as never })),
      'sections.0.items.0.left.risk: This is required.',
    ],
    [
      'a pole without a good',
      withItems(aTensionItem({ right: { label: 'Adapt', risk: 'Risky.' } as never })),
      'sections.0.items.0.right.good: This is required.',
    ],
    [
      'a pole with an empty good',
      withItems(aTensionItem({ right: { label: 'Adapt', good: '  ', risk: 'Risky.' } })),
      'sections.0.items.0.right.good: Must not be empty',
    ],
    [
      'a maturity item with one level',
      withItems(aMaturityItem({ levels: [{ label: 'Only', description: 'One level.' }] })),
      'sections.0.items.0.levels: A maturity item needs at least 2 levels',
    ],
    [
      'an unknown kind',
      withItems({ kind: 'poll', id: 'x', dimension: 'ways' }),
      'sections.0.items.0.kind: kind must be one of: tension, maturity, practice, dcf',
    ],
    [
      'an oversized text',
      withItems(aTensionItem({ prompt: 'x'.repeat(301) })),
      'sections.0.items.0.prompt: Use at most 300 characters.',
    ],
    [
      'an unknown field',
      withItems({ ...aPracticeItem(), colour: 'red' }),
      'sections.0.items.0: This field is not known here: colour. Leave it out.',
    ],
    [
      'an operator key',
      { ...aDefinition(), $where: 'sleep(1000)' },
      '(root): This field is not known here: $where. Leave it out.',
    ],
    [
      'an item in an undeclared dimension',
      withItems(aPracticeItem(), aTensionItem({ dimension: 'elsewhere' })),
      'sections.0.items.1.dimension: Unknown dimension "elsewhere": declare it under "dimensions"',
    ],
    [
      'a dcf item with a repeated aspect',
      withItems(
        aDcfItem({
          aspects: [
            { key: 'scope', label: 'Scope' },
            { key: 'date', label: 'Date' },
            { key: 'scope', label: 'Scope again' },
          ],
        }),
      ),
      'sections.0.items.0.aspects.2.key: Duplicate aspect key "scope"',
    ],
    [
      'a slug with capitals',
      aDefinition({ slug: 'My-Survey' }),
      'slug: A slug uses lower-case letters',
    ],
    ['version 0', aDefinition({ version: 0 }), 'version: Use at least 1.'],
    [
      'no sections',
      aDefinition({ sections: [] }),
      'sections: A questionnaire needs at least one section',
    ],
  ])('rejects %s with the path of the problem', (_case, input, expected) => {
    expect(problems(input).join('\n')).toContain(expected);
  });

  it('reports a declared dimension that no item uses', () => {
    const input = aDefinition({
      dimensions: [
        { key: 'ways', label: 'Ways', description: 'd' },
        { key: 'unused', label: 'Unused', description: 'd' },
      ],
    });
    expect(problems(input)).toEqual(['dimensions.1.key: Dimension "unused" has no items']);
  });

  it('reports every structural problem in one pass', () => {
    const input = {
      ...aDefinition({ title: '', version: -1 }),
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [aTensionItem({ prompt: '' }), aMaturityItem({ levels: [] }), { kind: 'nope' }],
        },
      ],
    };

    expect(problems(input).map((p) => p.split(':')[0])).toEqual([
      'version',
      'title',
      'sections.0.items.0.prompt',
      'sections.0.items.1.levels',
      'sections.0.items.2.kind',
    ]);
  });

  it('rejects more than the maximum number of items', () => {
    const items = Array.from({ length: 121 }, (_, i) => aPracticeItem({ id: `p-${i}` }));
    expect(problems(withItems(...items))).toEqual([
      'sections: A questionnaire has at most 120 items (this one has 121)',
    ]);
  });
});

describe('QuestionnaireDraft', () => {
  it('accepts a definition without a version', () => {
    expect(QuestionnaireDraft.safeParse(aDefinition({ version: undefined })).success).toBe(true);
  });
});
