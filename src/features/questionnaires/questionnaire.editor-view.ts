import {
  fieldId,
  toField,
  toFormErrors,
  toSelect,
  type FieldSpec,
  type FormErrors,
} from '../../shared/views/forms';
import type { FieldIssue } from '../../shared/errors';
import type { EditorDraft, EditorItem } from './questionnaire.editor';
import { ITEM_KINDS, type Item, type ItemKind } from './questionnaire.schemas';

/**
 * What the editor's template needs: every field of the draft with its value and error, and
 * the buttons that add, remove and move entries. Pure, like the other view models.
 */

export const KIND_LABELS: Record<ItemKind, string> = {
  tension: 'Tension',
  maturity: 'Maturity',
  practice: 'Reflection prompt',
  dcf: 'Drivers, constraints, floats',
};

const POLES_HINT =
  'A tension has two sides, and each gives a team something and costs it something: name both for each pole (all six fields), or the pair is only good or only bad and no tension.';

type Spec = FieldSpec & { where: string };
type Form = { values: Record<string, string>; errors?: FormErrors; specs: Spec[] };

/** A field of the draft: `where` names its place for the error summary ("Part 1, item 2"). */
function field(form: Form, spec: Spec) {
  form.specs.push(spec);
  return toField(spec, form);
}

function flatten(value: unknown, prefix: string, out: Record<string, string>) {
  if (typeof value === 'string') out[prefix] = value;
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

const text = (name: string, label: string, where: string, extra: Partial<FieldSpec> = {}) => ({
  name,
  label,
  where,
  required: true,
  ...extra,
});
const long = { multiline: true, rows: 3 };

function moves(path: string, index: number, count: number, what: string) {
  return {
    path,
    anchor: fieldId(path),
    what,
    up: index > 0 ? `move-up:${path}` : null,
    down: index < count - 1 ? `move-down:${path}` : null,
    remove: `remove:${path}`,
  };
}

function itemView(
  form: Form,
  item: EditorItem,
  path: string,
  where: string,
  dimensions: EditorDraft['dimensions'],
) {
  const f = (name: string, label: string, extra: Partial<FieldSpec> = {}) =>
    field(form, text(`${path}.${name}`, label, where, extra));
  const dimension = toSelect(
    { name: `${path}.dimension`, label: 'Dimension' },
    dimensions.map((d) => ({ value: d.key, label: d.label || d.key })),
    form,
  );
  form.specs.push({ name: `${path}.dimension`, label: 'Dimension', where });
  const checkbox = (name: 'askDesired' | 'required', label: string) => ({
    id: `field-${path.replace(/\./g, '-')}-${name}`,
    name: `${path}.${name}`,
    label,
    checked: !!item[name],
  });
  const view = {
    kindLabel: KIND_LABELS[item.kind],
    id: item.id,
    idField: `${path}.id`,
    kindField: `${path}.kind`,
    kind: item.kind,
    dimension,
    fields: [] as ReturnType<typeof toField>[],
    poles: [] as { legend: string; fields: ReturnType<typeof toField>[] }[],
    polesHint: null as string | null,
    checkboxes: [] as ReturnType<typeof checkbox>[],
    entries: null as null | {
      legend: string;
      addOp: string;
      addLabel: string;
      rows: {
        legend: string;
        anchor: string;
        fields: ReturnType<typeof toField>[];
        remove: string;
      }[];
    },
  };
  switch (item.kind) {
    case 'tension':
      view.fields.push(f('prompt', 'Question above the scale', long));
      view.polesHint = POLES_HINT;
      for (const side of ['left', 'right'] as const) {
        const name = side === 'left' ? 'Left pole' : 'Right pole';
        view.poles.push({
          legend: name,
          fields: [
            f(`${side}.label`, `${name}: label`, { maxlength: 60 }),
            f(`${side}.good`, `${name}: what it gives (good)`, long),
            f(`${side}.risk`, `${name}: what it costs (risk)`, long),
          ],
        });
      }
      view.checkboxes.push(checkbox('askDesired', 'Also ask “where should we be?”'));
      break;
    case 'maturity':
      view.fields.push(f('statement', 'Capability being assessed', long));
      view.entries = {
        legend: 'Levels, lowest first (2 to 7)',
        addOp: `add-level:${path}`,
        addLabel: 'Add a level',
        rows: (item.levels ?? []).map((_, l) => ({
          legend: `Level ${l + 1}`,
          anchor: fieldId(`${path}.levels.${l}`),
          fields: [
            f(`levels.${l}.label`, `Level ${l + 1}: name`, { maxlength: 40 }),
            f(`levels.${l}.description`, `Level ${l + 1}: what a team recognises`, long),
          ],
          remove: `remove:${path}.levels.${l}`,
        })),
      };
      break;
    case 'practice':
      view.fields.push(
        f('prompt', 'Reflection prompt', long),
        f('hint', 'Help below the prompt (optional)', { ...long, required: false }),
        f('rating.question', 'Rating question 1–5 (optional: leave the three empty for none)', {
          required: false,
        }),
        f('rating.lowLabel', 'Rating: meaning of 1', { required: false }),
        f('rating.highLabel', 'Rating: meaning of 5', { required: false }),
        f('maxLength', 'Longest answer, in characters (50–5000)', { type: 'number' }),
      );
      view.checkboxes.push(checkbox('required', 'An answer is required'));
      break;
    case 'dcf':
      view.fields.push(
        f('prompt', 'The effort whose aspects are classified', long),
        f('guidance', 'How to tell drivers, constraints and floats apart', long),
      );
      view.entries = {
        legend: 'Aspects (3 to 12)',
        addOp: `add-aspect:${path}`,
        addLabel: 'Add an aspect',
        rows: (item.aspects ?? []).map((_, a) => ({
          legend: `Aspect ${a + 1}`,
          anchor: fieldId(`${path}.aspects.${a}`),
          fields: [
            f(`aspects.${a}.key`, `Aspect ${a + 1}: key`, {
              hint: 'Lower-case letters, digits and "-"; keep it once answered.',
            }),
            f(`aspects.${a}.label`, `Aspect ${a + 1}: label`, { maxlength: 60 }),
            f(`aspects.${a}.description`, `Aspect ${a + 1}: description (optional)`, {
              ...long,
              required: false,
            }),
          ],
          remove: `remove:${path}.aspects.${a}`,
        })),
      };
      break;
  }
  return view;
}

/**
 * The errors by field and their summary. A problem of a list rather than a field ("A section
 * needs at least one item" at `sections.1.items`) links to the part or question it is in.
 */
function withPlaces(issues: readonly FieldIssue[], specs: readonly Spec[]): FormErrors {
  const errors = toFormErrors(
    issues,
    specs.map((s) => ({ name: s.name, label: `${s.where}, ${s.label}` })),
  );
  return {
    ...errors,
    summary: errors.summary.map((entry, i) => {
      const place = /^(?:sections\.\d+(?:\.items\.\d+)?|dimensions)/.exec(issues[i]?.path ?? '');
      return entry.href || !place ? entry : { ...entry, href: `#${fieldId(place[0])}` };
    }),
  };
}

/** The editor page's view of a draft, with the service's errors at their fields. */
export function toEditorView(
  draft: EditorDraft,
  options: { issues?: readonly FieldIssue[]; focus?: string } = {},
) {
  const values: Record<string, string> = {};
  flatten(draft, '', values);
  const form: Form = { values, specs: [] };
  // Errors need the field list, and the fields need the errors: build once to list the fields.
  const build = () => {
    form.specs = [];
    const dimensions = draft.dimensions.map((_, d) => ({
      legend: `Dimension ${d + 1}`,
      anchor: fieldId(`dimensions.${d}`),
      fields: [
        field(form, text(`dimensions.${d}.key`, 'Key', `Dimension ${d + 1}`)),
        field(form, text(`dimensions.${d}.label`, 'Label', `Dimension ${d + 1}`)),
        field(form, text(`dimensions.${d}.description`, 'Description', `Dimension ${d + 1}`, long)),
      ],
      remove: `remove:dimensions.${d}`,
    }));
    let number = 0;
    const sections = draft.sections.map((section, s) => ({
      ...moves(`sections.${s}`, s, draft.sections.length, `part ${s + 1}`),
      legend: `Part ${s + 1}`,
      idField: `sections.${s}.id`,
      id: section.id,
      fields: [
        field(form, text(`sections.${s}.title`, 'Title of the part', `Part ${s + 1}`)),
        field(
          form,
          text(`sections.${s}.intro`, 'Introduction (optional)', `Part ${s + 1}`, {
            ...long,
            required: false,
          }),
        ),
      ],
      addItems: ITEM_KINDS.map((kind) => ({
        op: `add-${kind}:sections.${s}`,
        label: KIND_LABELS[kind],
      })),
      items: section.items.map((item, i) => {
        number += 1;
        const path = `sections.${s}.items.${i}`;
        const where = `Question ${number}`;
        return {
          ...moves(path, i, section.items.length, `question ${number}`),
          number,
          legend: `Question ${number}`,
          ...itemView(form, item, path, where, draft.dimensions),
        };
      }),
    }));
    return {
      fields: {
        title: field(form, text('title', 'Title', 'Questionnaire', { maxlength: 120 })),
        summary: field(form, text('summary', 'Summary', 'Questionnaire', long)),
      },
      dimensions,
      sections,
    };
  };
  build();
  form.errors = options.issues ? withPlaces(options.issues, form.specs) : undefined;
  return {
    ...build(),
    errors: form.errors,
    focusId: options.focus ? fieldId(options.focus) : undefined,
  };
}

/** An item's texts, labelled, for reading two versions of it side by side. */
export function itemTexts(item: Item): { label: string; text: string }[] {
  const dims = [{ label: 'Dimension', text: item.dimension }];
  switch (item.kind) {
    case 'tension':
      return [
        { label: 'Question', text: item.prompt },
        ...(['left', 'right'] as const).flatMap((side) => {
          const name = side === 'left' ? 'Left pole' : 'Right pole';
          return [
            { label: `${name}`, text: item[side].label },
            { label: `${name}: good`, text: item[side].good },
            { label: `${name}: risk`, text: item[side].risk },
          ];
        }),
        { label: 'Asks where we should be', text: item.askDesired ? 'yes' : 'no' },
        ...dims,
      ];
    case 'maturity':
      return [
        { label: 'Capability', text: item.statement },
        ...item.levels.map((l, i) => ({
          label: `Level ${i + 1}`,
          text: `${l.label}: ${l.description}`,
        })),
        ...dims,
      ];
    case 'practice':
      return [
        { label: 'Prompt', text: item.prompt },
        { label: 'Help', text: item.hint ?? '' },
        {
          label: 'Rating',
          text: item.rating
            ? `${item.rating.question} (1 ${item.rating.lowLabel} – 5 ${item.rating.highLabel})`
            : 'none',
        },
        { label: 'Longest answer', text: String(item.maxLength) },
        { label: 'Required', text: item.required ? 'yes' : 'no' },
        ...dims,
      ];
    case 'dcf':
      return [
        { label: 'Effort', text: item.prompt },
        { label: 'Guidance', text: item.guidance },
        ...item.aspects.map((a) => ({
          label: `Aspect ${a.key}`,
          text: `${a.label}${a.description ? `: ${a.description}` : ''}`,
        })),
        ...dims,
      ];
  }
}

/** Two versions of an item as rows of the side-by-side table, differing rows marked. */
export function sideBySide(before: Item | null, after: Item | null) {
  const a = before ? itemTexts(before) : [];
  const b = after ? itemTexts(after) : [];
  const labels = [...new Set([...a, ...b].map((t) => t.label))];
  return labels.map((label) => {
    const from = a.find((t) => t.label === label)?.text ?? '';
    const to = b.find((t) => t.label === label)?.text ?? '';
    return { label, from, to, differs: from !== to };
  });
}
