import {
  DCF_CLASSES,
  PRACTICE_RATING_POINTS,
  TENSION_COMMENT_MAX,
  TENSION_SCALE_POINTS,
  isRequired,
  type DcfItem,
  type Item,
  type MaturityItem,
  type PracticeItem,
  type QuestionnaireDefinition,
  type TensionItem,
} from './questionnaire.schemas';
import type { QuestionnaireSummary, QuestionnaireVersion } from './questionnaire.types';

/**
 * Pure mapping from questionnaires to what the library, preview and print templates need.
 * The item views are shared with the respondent page, which fills in `selected` values.
 */

const KIND_NAMES: Record<Item['kind'], [string, string]> = {
  tension: ['tension', 'tensions'],
  maturity: ['maturity item', 'maturity items'],
  practice: ['reflection prompt', 'reflection prompts'],
  dcf: ['drivers/constraints/floats check', 'drivers/constraints/floats checks'],
};

export const DCF_LABELS: Record<(typeof DCF_CLASSES)[number], string> = {
  driver: 'Driver',
  constraint: 'Constraint',
  float: 'Float',
};

export function questionnaireUrl(slug: string, version?: number): string {
  return `/questionnaires/${encodeURIComponent(slug)}${version === undefined ? '' : `?version=${version}`}`;
}

export function printUrl(slug: string, version: number): string {
  return `/questionnaires/${encodeURIComponent(slug)}/print?version=${version}`;
}

/** The page's download of one version as its JSON file. */
export function fileUrl(slug: string, version: number): string {
  return `/questionnaires/${encodeURIComponent(slug)}/file?version=${version}`;
}

export function toLibraryView(summaries: readonly QuestionnaireSummary[], showArchived = false) {
  return {
    title: 'Questionnaire library',
    showArchived,
    cards: summaries.map((s) => ({
      slug: s.slug,
      title: s.title,
      summary: s.summary,
      version: s.version,
      origin: s.builtin ? 'Built-in' : 'Your workspace',
      archived: s.archived,
      counts: (Object.keys(KIND_NAMES) as Item['kind'][])
        .filter((kind) => s.itemCounts[kind] > 0)
        .map((kind) => {
          const [one, many] = KIND_NAMES[kind];
          const n = s.itemCounts[kind];
          return `${n} ${n === 1 ? one : many}`;
        }),
      dimensions: s.dimensions.map((d) => d.label),
      previewUrl: questionnaireUrl(s.slug),
      printUrl: printUrl(s.slug, s.version),
    })),
  };
}

type Option = { value: string; label: string; id: string; checked: boolean };

function radioOptions(
  id: string,
  values: readonly string[],
  labels: readonly string[],
  selected: string | undefined,
): Option[] {
  return values.map((value, i) => ({
    value,
    label: labels[i] ?? value,
    id: `${id}-${value}`,
    checked: value === selected,
  }));
}

/** Answers already given, by field name (for the respondent page); empty in a preview. */
export type SelectedValues = Readonly<Record<string, string>>;

export function tensionScaleLabels(item: TensionItem): string[] {
  const l = item.left.label;
  const r = item.right.label;
  return [
    `Fully ${l}`,
    `Mostly ${l}`,
    `Leaning ${l}`,
    'Balanced',
    `Leaning ${r}`,
    `Mostly ${r}`,
    `Fully ${r}`,
  ];
}

/** A scale's "can't say" choice, as the form sends it: no point of the scale (DESIGN.md). */
export const CANT_SAY = 'cant-say';

/** The "can't say" choice of the scale named `name`, and whether it is the one chosen. */
const cantSayOption = (id: string, name: string, selected: SelectedValues) => ({
  id: `${id}-cant-say`,
  value: CANT_SAY,
  checked: selected[name] === CANT_SAY,
});

function scale(points: number): string[] {
  return Array.from({ length: points }, (_, i) => String(i + 1));
}

/**
 * What the respondent page adds from the round: who will read a free text and with which name
 * (said beside each text field, so no text promises more than the round keeps). A preview or
 * a printed copy has no round, so it says nothing.
 */
export type TextNote = string | undefined;

function tensionView(item: TensionItem, selected: SelectedValues, textNote: TextNote) {
  const base = `q-${item.id}`;
  const labels = tensionScaleLabels(item);
  const values = scale(TENSION_SCALE_POINTS);
  return {
    partial: 'items/tension' as const,
    prompt: item.prompt,
    left: item.left,
    right: item.right,
    helpId: `${base}-help`,
    current: {
      name: `${item.id}.value`,
      legend: 'Where are we today?',
      required: true,
      options: radioOptions(`${base}-value`, values, labels, selected[`${item.id}.value`]),
      cantSay: cantSayOption(`${base}-value`, `${item.id}.value`, selected),
    },
    desired: item.askDesired
      ? {
          name: `${item.id}.desired`,
          legend: 'Where should we be?',
          required: false,
          options: radioOptions(`${base}-desired`, values, labels, selected[`${item.id}.desired`]),
        }
      : null,
    comment: {
      id: `${base}-comment`,
      name: `${item.id}.comment`,
      value: selected[`${item.id}.comment`] ?? '',
      maxLength: TENSION_COMMENT_MAX,
      note: textNote,
    },
  };
}

function maturityView(item: MaturityItem, selected: SelectedValues) {
  const values = scale(item.levels.length);
  const chosen = selected[`${item.id}.value`];
  return {
    partial: 'items/maturity' as const,
    statement: item.statement,
    name: `${item.id}.value`,
    levels: item.levels.map((level, i) => ({
      value: values[i],
      id: `q-${item.id}-${values[i]}`,
      label: level.label,
      description: level.description,
      checked: values[i] === chosen,
    })),
    cantSay: cantSayOption(`q-${item.id}`, `${item.id}.value`, selected),
  };
}

function practiceView(item: PracticeItem, selected: SelectedValues, textNote: TextNote) {
  const values = scale(PRACTICE_RATING_POINTS);
  return {
    partial: 'items/practice' as const,
    prompt: item.prompt,
    hint: item.hint,
    textId: `q-${item.id}-text`,
    textName: `${item.id}.text`,
    text: selected[`${item.id}.text`] ?? '',
    maxLength: item.maxLength,
    textNote,
    rating: item.rating
      ? {
          name: `${item.id}.rating`,
          question: item.rating.question,
          lowLabel: item.rating.lowLabel,
          highLabel: item.rating.highLabel,
          options: radioOptions(
            `q-${item.id}-rating`,
            values,
            values.map((v, i) =>
              i === 0
                ? `${v} – ${item.rating?.lowLabel ?? ''}`
                : i === values.length - 1
                  ? `${v} – ${item.rating?.highLabel ?? ''}`
                  : v,
            ),
            selected[`${item.id}.rating`],
          ),
        }
      : null,
  };
}

function dcfView(item: DcfItem, selected: SelectedValues) {
  return {
    partial: 'items/dcf' as const,
    prompt: item.prompt,
    guidance: item.guidance,
    classes: DCF_CLASSES.map((c) => DCF_LABELS[c]),
    aspects: item.aspects.map((aspect) => {
      const name = `${item.id}.${aspect.key}`;
      return {
        label: aspect.label,
        description: aspect.description,
        name,
        legendId: `q-${item.id}-${aspect.key}-legend`,
        options: radioOptions(
          `q-${item.id}-${aspect.key}`,
          DCF_CLASSES,
          DCF_CLASSES.map((c) => DCF_LABELS[c]),
          selected[name],
        ),
      };
    }),
  };
}

function itemView(item: Item, selected: SelectedValues, textNote: TextNote) {
  switch (item.kind) {
    case 'tension':
      return tensionView(item, selected, textNote);
    case 'maturity':
      return maturityView(item, selected);
    case 'practice':
      return practiceView(item, selected, textNote);
    case 'dcf':
      return dcfView(item, selected);
  }
}

/**
 * Sections with their items numbered through the whole questionnaire. `disabled` renders a
 * read-only preview; `expandHelp` opens every pole's good/risk (the printed copy).
 */
export function toSectionsView(
  definition: QuestionnaireDefinition,
  options: {
    disabled: boolean;
    expandHelp: boolean;
    selected?: SelectedValues;
    /** Error messages by field name (`<itemId>.value`, …); each item shows its first one. */
    errors?: Readonly<Record<string, string>>;
    textNote?: TextNote;
  },
) {
  let number = 0;
  const dimensionLabels = new Map(definition.dimensions.map((d) => [d.key, d.label]));
  return definition.sections.map((section, index) => ({
    id: section.id,
    title: section.title,
    intro: section.intro,
    position: index + 1,
    count: definition.sections.length,
    items: section.items.map((item) => {
      number += 1;
      const error = Object.entries(options.errors ?? {}).find(([field]) =>
        field.startsWith(`${item.id}.`),
      )?.[1];
      return {
        ...itemView(item, options.selected ?? {}, options.textNote),
        required: isRequired(item),
        error,
        errorId: error ? `item-${item.id}-error` : undefined,
        id: item.id,
        kind: item.kind,
        number,
        dimension: dimensionLabels.get(item.dimension) ?? item.dimension,
        disabled: options.disabled,
        expandHelp: options.expandHelp,
      };
    }),
  }));
}

export function toPreviewView(q: QuestionnaireVersion, mode: 'preview' | 'print') {
  const d = q.definition;
  return {
    title: d.title,
    summary: d.summary,
    slug: d.slug,
    version: d.version,
    origin: q.builtin ? 'Built-in' : 'Your workspace',
    isLatest: d.version === q.latestVersion,
    latestUrl: questionnaireUrl(d.slug),
    printUrl: printUrl(d.slug, d.version),
    versionLinks: q.versions.map((v) => ({
      version: v,
      url: questionnaireUrl(d.slug, v),
      current: v === d.version,
    })),
    dimensions: d.dimensions,
    sections: toSectionsView(d, { disabled: mode === 'preview', expandHelp: mode === 'print' }),
  };
}
