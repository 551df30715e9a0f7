import { randomBytes } from 'node:crypto';
import { ITEM_KINDS, type ItemKind, type QuestionnaireDefinition } from './questionnaire.schemas';

/**
 * The questionnaire editor's state and the edits its buttons make, as pure functions. The
 * state is a definition as the author typed it: every text kept as given (empty ones too), so
 * a half-written draft can be stored, shown again and refused field by field by the service.
 * Form field names are the paths of the definition (`sections.0.items.2.left.risk`), the same
 * paths the service's validation errors name, so an error finds its field without a mapping.
 */

type Texts = Record<string, string>;
export type EditorPole = { label: string; good: string; risk: string };
export type EditorItem = {
  kind: ItemKind;
  id: string;
  dimension: string;
  // tension, practice, dcf
  prompt?: string;
  left?: EditorPole;
  right?: EditorPole;
  askDesired?: boolean;
  // maturity
  statement?: string;
  levels?: { label: string; description: string }[];
  // practice
  hint?: string;
  rating?: { question: string; lowLabel: string; highLabel: string };
  maxLength?: string;
  required?: boolean;
  // dcf
  guidance?: string;
  aspects?: { key: string; label: string; description: string }[];
};
export type EditorSection = { id: string; title: string; intro: string; items: EditorItem[] };
export type EditorDraft = {
  slug: string;
  title: string;
  summary: string;
  language: string;
  dimensions: { key: string; label: string; description: string }[];
  sections: EditorSection[];
};

/** Most entries a list of the editor may get from a form: beyond any the format allows. */
const MAX_ENTRIES = 150;

/** A new id no earlier version can have used: random, so removed ids are never reused. */
export const newId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, MAX_ENTRIES) : []);
const pick = (v: unknown, keys: readonly string[]): Texts => {
  const o = obj(v);
  return Object.fromEntries(keys.map((k) => [k, str(o[k])]));
};
const pole = (v: unknown) => pick(v, ['label', 'good', 'risk']) as EditorPole;

function toItem(v: unknown): EditorItem {
  const o = obj(v);
  const kind = (ITEM_KINDS as readonly string[]).includes(str(o.kind))
    ? (o.kind as ItemKind)
    : 'tension';
  const base = { kind, id: str(o.id), dimension: str(o.dimension) };
  switch (kind) {
    case 'tension':
      return {
        ...base,
        prompt: str(o.prompt),
        left: pole(o.left),
        right: pole(o.right),
        askDesired: o.askDesired === true || o.askDesired === 'on',
      };
    case 'maturity':
      return {
        ...base,
        statement: str(o.statement),
        levels: list(o.levels).map((l) => pick(l, ['label', 'description'])) as never,
      };
    case 'practice':
      return {
        ...base,
        prompt: str(o.prompt),
        hint: str(o.hint),
        rating: pick(o.rating, ['question', 'lowLabel', 'highLabel']) as never,
        maxLength: str(o.maxLength ?? 1000),
        required: o.required === true || o.required === 'on',
      };
    case 'dcf':
      return {
        ...base,
        prompt: str(o.prompt),
        guidance: str(o.guidance),
        aspects: list(o.aspects).map((a) => pick(a, ['key', 'label', 'description'])) as never,
      };
  }
}

/** Any JSON-like value (a stored definition, a stored draft, a parsed form) as editor state. */
export function toEditorDraft(v: unknown): EditorDraft {
  const o = obj(v);
  return {
    ...(pick(o, ['slug', 'title', 'summary']) as Pick<EditorDraft, 'slug' | 'title' | 'summary'>),
    language: str(o.language) || 'en',
    dimensions: list(o.dimensions).map((d) => pick(d, ['key', 'label', 'description'])) as never,
    sections: list(o.sections).map((s) => ({
      ...(pick(s, ['id', 'title', 'intro']) as Omit<EditorSection, 'items'>),
      items: list(obj(s).items).map(toItem),
    })),
  };
}

/**
 * Form fields named by dotted paths, as a tree: numeric segments make lists, in the order of
 * their numbers (gaps closed). The slug is not a form field: the page's address says it.
 */
export function fromForm(body: Readonly<Record<string, string>>, slug: string): EditorDraft {
  // Without a prototype: a field named `constructor` or `toString` is just a field.
  const root = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(body)) {
    const parts = name.split('.');
    if (parts.length > 8 || parts.some((p) => p === '' || p === '__proto__')) continue;
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else {
        const next = node[part];
        node = (
          typeof next === 'object' && next !== null ? next : (node[part] = Object.create(null))
        ) as Record<string, unknown>;
      }
    });
  }
  const asLists = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const entries = Object.entries(v);
    if (entries.length > 0 && entries.every(([k]) => /^\d{1,3}$/.test(k)))
      return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, e]) => asLists(e));
    return Object.fromEntries(entries.map(([k, e]) => [k, asLists(e)]));
  };
  return toEditorDraft({ ...obj(asLists(root)), slug });
}

const blankPole = (): EditorPole => ({ label: '', good: '', risk: '' });

/** A new, empty item of a kind, in the first dimension. */
export function blankItem(kind: ItemKind, dimension: string): EditorItem {
  const base = { kind, id: newId(kind === 'dcf' ? 'dcf' : kind.slice(0, 4)), dimension };
  switch (kind) {
    case 'tension':
      return { ...base, prompt: '', left: blankPole(), right: blankPole(), askDesired: false };
    case 'maturity':
      return {
        ...base,
        statement: '',
        levels: Array.from({ length: 3 }, () => ({ label: '', description: '' })),
      };
    case 'practice':
      return {
        ...base,
        prompt: '',
        hint: '',
        rating: { question: '', lowLabel: '', highLabel: '' },
        maxLength: '1000',
        required: false,
      };
    case 'dcf':
      return {
        ...base,
        prompt: '',
        guidance: '',
        aspects: [1, 2, 3].map((n) => ({ key: `aspect-${n}`, label: '', description: '' })),
      };
  }
}

/** A new questionnaire: one dimension and one section with one tension. */
export function blankDraft(slug: string, title: string): EditorDraft {
  const dimension = 'team';
  return {
    slug,
    title,
    summary: '',
    language: 'en',
    dimensions: [{ key: dimension, label: 'Team', description: '' }],
    sections: [
      { id: newId('part'), title: '', intro: '', items: [blankItem('tension', dimension)] },
    ],
  };
}

/**
 * The draft as the service's format wants it: optional texts left empty are left out, numbers
 * and checkboxes as such. Required texts stay, empty or not: the service says what is missing.
 */
export function toDefinitionInput(draft: EditorDraft): Record<string, unknown> {
  const optional = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined);
  const item = (i: EditorItem): Record<string, unknown> => {
    const base = { kind: i.kind, id: i.id, dimension: i.dimension };
    switch (i.kind) {
      case 'tension':
        return {
          ...base,
          prompt: i.prompt,
          left: i.left,
          right: i.right,
          askDesired: !!i.askDesired,
        };
      case 'maturity':
        return { ...base, statement: i.statement, levels: i.levels };
      case 'practice': {
        const rating = i.rating && Object.values(i.rating).some((t) => t.trim() !== '');
        const maxLength = Number(i.maxLength);
        return {
          ...base,
          prompt: i.prompt,
          hint: optional(i.hint),
          rating: rating ? i.rating : undefined,
          maxLength: i.maxLength?.trim() && Number.isFinite(maxLength) ? maxLength : i.maxLength,
          required: !!i.required,
        };
      }
      case 'dcf':
        return {
          ...base,
          prompt: i.prompt,
          guidance: i.guidance,
          aspects: i.aspects?.map((a) => ({ ...a, description: optional(a.description) })),
        };
    }
  };
  return {
    slug: draft.slug,
    title: draft.title,
    summary: draft.summary,
    language: draft.language,
    dimensions: draft.dimensions,
    sections: draft.sections.map((s) => ({
      id: s.id,
      title: s.title,
      intro: optional(s.intro),
      items: s.items.map(item),
    })),
  };
}

export const fromDefinition = (d: QuestionnaireDefinition): EditorDraft => toEditorDraft(d);

/** What an editor button does: `<verb>:<path>`, the path naming the list entry it acts on. */
export type EditorOp = Readonly<{ verb: string; path: string }>;

export function parseOp(value: string | undefined): EditorOp | null {
  const match = /^([a-z-]{2,20})(?::([a-z0-9.]{1,60}))?$/i.exec(value ?? '');
  return match ? { verb: match[1]!, path: match[2] ?? '' } : null;
}

/** The list a path's last segment indexes, and that index; null when the path is no entry. */
function entryAt(draft: EditorDraft, path: string): { list: unknown[]; index: number } | null {
  const parts = path.split('.');
  const index = Number(parts.pop());
  let node: unknown = draft;
  for (const part of parts) node = Array.isArray(node) ? node[Number(part)] : obj(node)[part];
  return Array.isArray(node) && Number.isInteger(index) && index >= 0 && index < node.length
    ? { list: node, index }
    : null;
}

/**
 * Applies one button of the editor to a copy of the draft. Returns the draft and the field to
 * bring into view afterwards (the moved or added entry), or null when the button names nothing
 * that exists (a stale page): the draft stays as it is.
 */
export function applyOp(
  input: EditorDraft,
  op: EditorOp,
): { draft: EditorDraft; focus: string } | null {
  const draft = structuredClone(input);
  const firstDimension = draft.dimensions[0]?.key ?? '';
  if (op.verb === 'add-section') {
    draft.sections.push({
      id: newId('part'),
      title: '',
      intro: '',
      items: [blankItem('tension', firstDimension)],
    });
    return { draft, focus: `sections.${draft.sections.length - 1}.title` };
  }
  if (op.verb === 'add-dimension') {
    draft.dimensions.push({ key: newId('dim'), label: '', description: '' });
    return { draft, focus: `dimensions.${draft.dimensions.length - 1}.label` };
  }
  const addKind = /^add-(tension|maturity|practice|dcf)$/.exec(op.verb)?.[1] as
    ItemKind | undefined;
  if (addKind) {
    const at = entryAt(draft, op.path);
    const section = at && op.path.startsWith('sections.') ? draft.sections[at.index] : undefined;
    if (!section || op.path.split('.').length !== 2) return null;
    section.items.push(blankItem(addKind, firstDimension));
    return {
      draft,
      focus: `${op.path}.items.${section.items.length - 1}.${addKind === 'maturity' ? 'statement' : 'prompt'}`,
    };
  }
  if (op.verb === 'add-level' || op.verb === 'add-aspect') {
    const at = entryAt(draft, op.path);
    const item = at?.list[at.index] as EditorItem | undefined;
    if (!item?.kind) return null;
    if (op.verb === 'add-level' && item.levels) {
      item.levels.push({ label: '', description: '' });
      return { draft, focus: `${op.path}.levels.${item.levels.length - 1}.label` };
    }
    if (op.verb === 'add-aspect' && item.aspects) {
      item.aspects.push({ key: newId('aspect'), label: '', description: '' });
      return { draft, focus: `${op.path}.aspects.${item.aspects.length - 1}.label` };
    }
    return null;
  }
  const at = entryAt(draft, op.path);
  if (!at) return null;
  const parent = op.path.split('.').slice(0, -1).join('.');
  const { list: entries, index } = at;
  switch (op.verb) {
    case 'remove': {
      entries.splice(index, 1);
      // The entry that took its place, else the one before, else what held the list.
      const owner = parent.split('.').slice(0, -1).join('.');
      const next = Math.min(index, entries.length - 1);
      return { draft, focus: next >= 0 ? `${parent}.${next}` : owner };
    }
    case 'move-up':
    case 'move-down': {
      const to = op.verb === 'move-up' ? index - 1 : index + 1;
      if (to < 0 || to >= entries.length) return { draft, focus: op.path };
      [entries[index], entries[to]] = [entries[to], entries[index]];
      return { draft, focus: `${parent}.${to}` };
    }
    default:
      return null;
  }
}
