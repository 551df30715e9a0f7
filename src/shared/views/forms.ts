import type { FieldIssue } from '../errors';

/**
 * What a form template needs after a validation error: a summary at the top that links to each
 * field, and the message per field. Field ids follow `field-<path with dots as dashes>`, the
 * convention of partials/field.hbs.
 */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

export type FormErrors = Readonly<{
  summary: readonly Readonly<{ message: string; href: string | null }>[];
  byField: Readonly<Record<string, string>>;
}>;

/** A form's field for its errors: its name, or its name with the label the form shows. */
export type FormField = string | Readonly<{ name: string; label: string }>;

/**
 * Errors by field, and the summary at the top of the form, where each message is named by the
 * field's label as the form shows it (given with the field), else one made from its name.
 */
export function toFormErrors(
  details: readonly FieldIssue[],
  fields: readonly FormField[],
): FormErrors {
  const specs = fields.map((f) =>
    typeof f === 'string' ? { name: f, label: labelOf(f) } : { name: f.name, label: f.label },
  );
  const byField: Record<string, string> = {};
  const summary = details.map((issue) => {
    const field = specs.find((f) => issue.path === f.name || issue.path.startsWith(`${f.name}.`));
    if (field && !(field.name in byField)) byField[field.name] = issue.message;
    return {
      message: field ? `${field.label}: ${issue.message}` : issue.message,
      href: field ? `#${fieldId(field.name)}` : null,
    };
  });
  return { summary, byField };
}

/** "minGroupSize" → "Min group size"; a trailing "Id" is dropped ("teamId" → "Team"). */
function labelOf(field: string): string {
  const words = field
    .replace(/Id$/, '')
    .replace(/([A-Z])/g, ' $1')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A form's submitted string values, to fill the fields again (never a password). */
export function keptValues(
  body: unknown,
  omit: readonly string[] = ['password', '_csrf'],
): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).flatMap(([key, value]) =>
      typeof value === 'string' && !omit.some((o) => key.toLowerCase().includes(o.toLowerCase()))
        ? [[key, value]]
        : [],
    ),
  );
}

export type FieldSpec = Readonly<{
  name: string;
  label: string;
  type?: string;
  hint?: string;
  autocomplete?: string;
  /** The keyboard a phone shows, for a field whose `type` cannot say it (see EMAIL_INPUT). */
  inputmode?: string;
  required?: boolean;
  maxlength?: number;
  multiline?: boolean;
  rows?: number;
}>;

/** A field ready for partials/field.hbs: its value and error filled in, aria wiring computed. */
export function toField(
  spec: FieldSpec,
  form: Readonly<{ values?: Readonly<Record<string, string>>; errors?: FormErrors }>,
) {
  const id = fieldId(spec.name);
  const error = form.errors?.byField[spec.name];
  const describedBy = [spec.hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return {
    ...spec,
    id,
    value: spec.type === 'password' ? '' : (form.values?.[spec.name] ?? ''),
    error,
    describedBy: describedBy || undefined,
  };
}

/** Fields by name, for `{{> field fields.email}}`. */
export function toFields(
  specs: readonly FieldSpec[],
  form: Readonly<{ values?: Readonly<Record<string, string>>; errors?: FormErrors }>,
): Record<string, ReturnType<typeof toField>> {
  return Object.fromEntries(specs.map((spec) => [spec.name, toField(spec, form)]));
}

/** A select ready for partials/select.hbs: the chosen option marked, aria wiring computed. */
export function toSelect(
  spec: Readonly<{ name: string; label: string; hint?: string }>,
  options: readonly Readonly<{ value: string; label: string }>[],
  form: Readonly<{ values?: Readonly<Record<string, string>>; errors?: FormErrors }>,
) {
  const field = toField(spec, form);
  return {
    ...field,
    options: options.map((o) => ({ ...o, selected: o.value === field.value })),
  };
}
