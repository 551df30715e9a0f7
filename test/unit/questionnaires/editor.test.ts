import {
  applyOp,
  blankDraft,
  fromForm,
  parseOp,
  toDefinitionInput,
} from '../../../src/features/questionnaires/questionnaire.editor';
import { toEditorView } from '../../../src/features/questionnaires/questionnaire.editor-view';
import { QuestionnaireDraft } from '../../../src/features/questionnaires/questionnaire.schemas';

/** The editor's state and buttons as pure functions: what a form sends, what a button does. */
describe('fromForm', () => {
  it('builds lists from numbered field names in their numbers’ order, gaps closed', () => {
    const draft = fromForm(
      {
        title: 'T',
        'dimensions.5.key': 'later',
        'dimensions.0.key': 'first',
        'sections.0.items.0.kind': 'practice',
        'sections.0.items.0.prompt': 'Why?',
        'sections.0.items.0.required': 'on',
        'sections.0.items.0.maxLength': '300',
      },
      'from-address',
    );
    expect(draft.slug).toBe('from-address');
    expect(draft.dimensions.map((d) => d.key)).toEqual(['first', 'later']);
    expect(draft.sections[0]?.items[0]).toMatchObject({
      kind: 'practice',
      prompt: 'Why?',
      required: true,
      maxLength: '300',
    });
  });

  it('ignores prototype keys, unknown fields and a slug in the form', () => {
    const draft = fromForm(
      { '__proto__.x': 'y', 'constructor.prototype.admin': 'true', isAdmin: 'yes', slug: 'other' },
      'mine',
    );
    expect(Object.keys(draft).sort()).toEqual([
      'dimensions',
      'language',
      'sections',
      'slug',
      'summary',
      'title',
    ]);
    expect(draft.slug).toBe('mine');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('toDefinitionInput', () => {
  it('leaves out empty optional texts and an empty rating, keeps empty required ones for the service to name', () => {
    const draft = blankDraft('new-one', 'New one');
    const added = applyOp(draft, { verb: 'add-practice', path: 'sections.0' })!.draft;
    const input = toDefinitionInput(added);
    const practice = (input.sections as { items: Record<string, unknown>[] }[])[0]!.items[1]!;
    expect(practice).not.toHaveProperty('rating', expect.anything());
    expect(practice).not.toHaveProperty('hint', expect.anything());
    expect(practice.maxLength).toBe(1000);

    const result = QuestionnaireDraft.safeParse(input);
    const paths = result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'summary',
        'sections.0.items.0.right.risk',
        'sections.0.items.1.prompt',
      ]),
    );
  });
});

describe('applyOp', () => {
  const draft = () => {
    const d = blankDraft('q', 'Q');
    return applyOp(d, { verb: 'add-maturity', path: 'sections.0' })!.draft;
  };

  it('moves an entry and points at its new place; at the edge it stays', () => {
    const d = draft();
    const [first, second] = d.sections[0]!.items;
    const moved = applyOp(d, parseOp('move-up:sections.0.items.1')!)!;
    expect(moved.draft.sections[0]!.items.map((i) => i.id)).toEqual([second!.id, first!.id]);
    expect(moved.focus).toBe('sections.0.items.0');
    expect(applyOp(d, parseOp('move-up:sections.0.items.0')!)!.draft).toEqual(d);
    expect(d.sections[0]!.items[0]!.id).toBe(first!.id); // the input is not changed
  });

  it('adds levels and new items with fresh ids, and removes entries', () => {
    const d = draft();
    const withLevel = applyOp(d, parseOp('add-level:sections.0.items.1')!)!;
    expect(withLevel.draft.sections[0]!.items[1]!.levels).toHaveLength(4);
    expect(withLevel.focus).toBe('sections.0.items.1.levels.3.label');
    const again = applyOp(d, parseOp('add-maturity:sections.0')!)!.draft.sections[0]!.items[2]!;
    expect(again.id).not.toBe(d.sections[0]!.items[1]!.id);
    const removed = applyOp(d, parseOp('remove:sections.0.items.0')!)!;
    expect(removed.draft.sections[0]!.items).toHaveLength(1);
    expect(removed.focus).toBe('sections.0.items.0');
  });

  it('does nothing for a button that names nothing that exists', () => {
    const d = draft();
    expect(applyOp(d, parseOp('remove:sections.4.items.0')!)).toBeNull();
    expect(applyOp(d, parseOp('add-level:sections.0.items.0')!)).toBeNull();
    expect(applyOp(d, parseOp('add-dcf:title')!)).toBeNull();
    expect(parseOp('remove:sections.0;drop')).toBeNull();
  });
});

describe('toEditorView', () => {
  it('puts an error at its field, named in the summary, and a list’s error at its question', () => {
    const view = toEditorView(blankDraft('q', 'Q'), {
      issues: [
        { path: 'sections.0.items.0.right.risk', message: 'Must not be empty' },
        { path: 'sections.0.items.0.levels', message: 'A maturity item needs at least 2 levels' },
      ],
    });
    const item = view.sections[0]!.items[0]!;
    const risk = item.poles[1]!.fields.find((f) => f.name.endsWith('right.risk'))!;
    expect(risk.error).toBe('Must not be empty');
    expect(view.errors?.summary).toEqual([
      {
        message: 'Question 1, Right pole: what it costs (risk): Must not be empty',
        href: '#field-sections-0-items-0-right-risk',
      },
      { message: 'A maturity item needs at least 2 levels', href: '#field-sections-0-items-0' },
    ]);
  });
});
