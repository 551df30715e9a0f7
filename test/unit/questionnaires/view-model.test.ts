import { QuestionnaireDefinition } from '../../../src/features/questionnaires';
import {
  tensionScaleLabels,
  toLibraryView,
  toPreviewView,
  toSectionsView,
} from '../../../src/features/questionnaires/questionnaire.view-model';
import { summarise } from '../../../src/features/questionnaires/questionnaire.service';
import { aDefinition, aPracticeItem, aTensionItem } from '../../support/factories';

const definition = QuestionnaireDefinition.parse(
  aDefinition({
    sections: [
      { id: 'one', title: 'One', items: [aTensionItem({ askDesired: true }), aPracticeItem()] },
      { id: 'two', title: 'Two', items: [aPracticeItem({ id: 'second', rating: undefined })] },
    ],
  }),
);

describe('toSectionsView', () => {
  it('numbers items through the whole questionnaire and says where each section stands', () => {
    const sections = toSectionsView(definition, { disabled: true, expandHelp: false });

    expect(sections.map((s) => [s.position, s.count, s.items.map((i) => i.number)])).toEqual([
      [1, 2, [1, 2]],
      [2, 2, [3]],
    ]);
    expect(sections[0]!.items[0]).toMatchObject({ partial: 'items/tension', disabled: true });
  });

  it('gives a tension a 7-point scale from the left pole to the right, and a desired scale', () => {
    const [tension] = toSectionsView(definition, { disabled: false, expandHelp: false })[0]!.items;
    if (tension?.partial !== 'items/tension') throw new Error('expected a tension');

    expect(tension.current.options.map((o) => o.value)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    expect(tension.current.options[0]!.label).toBe('Fully Plan');
    expect(tension.current.options[3]!.label).toBe('Balanced');
    expect(tension.current.options[6]!.label).toBe('Fully Adapt');
    expect(tension.desired?.name).toBe('plan-or-adapt.desired');
  });

  it('marks the selected answers as checked and fills texts', () => {
    const [tension, practice] = toSectionsView(definition, {
      disabled: false,
      expandHelp: false,
      selected: { 'plan-or-adapt.value': '5', 'dashboard-decision.text': 'Our <b>text</b>' },
    })[0]!.items;
    if (tension?.partial !== 'items/tension' || practice?.partial !== 'items/practice')
      throw new Error();

    expect(tension.current.options.filter((o) => o.checked).map((o) => o.value)).toEqual(['5']);
    expect(practice.text).toBe('Our <b>text</b>');
  });
});

describe('tensionScaleLabels', () => {
  it('runs from fully left through balanced to fully right', () => {
    const [t] = definition.sections[0]!.items;
    if (t?.kind !== 'tension') throw new Error();
    expect(tensionScaleLabels(t)).toEqual([
      'Fully Plan',
      'Mostly Plan',
      'Leaning Plan',
      'Balanced',
      'Leaning Adapt',
      'Mostly Adapt',
      'Fully Adapt',
    ]);
  });
});

describe('toLibraryView', () => {
  it('counts items by kind in words and links the preview and the printable copy', () => {
    const [card] = toLibraryView([summarise(definition, true)]).cards;

    expect(card).toMatchObject({
      origin: 'Built-in',
      counts: ['1 tension', '2 reflection prompts'],
      previewUrl: '/questionnaires/test-questionnaire',
      printUrl: '/questionnaires/test-questionnaire/print?version=1',
    });
  });
});

describe('toPreviewView', () => {
  it('links every version and marks the one shown', () => {
    const view = toPreviewView(
      {
        definition,
        builtin: false,
        archived: false,
        locked: true,
        versions: [1, 2],
        latestVersion: 2,
        derivedFrom: null,
        lineage: {},
      },
      'preview',
    );
    expect(view.isLatest).toBe(false);
    expect(view.versionLinks).toEqual([
      { version: 1, url: '/questionnaires/test-questionnaire?version=1', current: true },
      { version: 2, url: '/questionnaires/test-questionnaire?version=2', current: false },
    ]);
  });
});
