import type { HelperDelegate } from 'handlebars';

/**
 * Pure formatting helpers for templates. They never fetch data or decide business rules; view
 * models precompute everything a page decides. Handlebars passes its options object as the
 * last argument, so optional parameters are checked for type.
 */

/** Usage: {{formatNumber mean 2}} — fixed decimals (default 1); "–" for a missing value. */
export function formatNumber(value: unknown, digits?: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const places = typeof digits === 'number' ? digits : 1;
  return value.toFixed(places);
}

/** Usage: {{formatPercent share}} — a 0..1 share as a whole percentage ("42 %"). */
export function formatPercent(share: unknown): string {
  if (typeof share !== 'number' || !Number.isFinite(share)) return '–';
  return `${Math.round(share * 100)} %`;
}

/** Usage: {{formatDate closesAt}} — an ISO day (YYYY-MM-DD), the same for every reader. */
export function formatDate(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return '–';
  return date.toISOString().slice(0, 10);
}

/** Usage: {{plural count "response" "responses"}} — "1 response", "3 responses". */
export function plural(count: unknown, singular: unknown, pluralForm: unknown): string {
  const n = typeof count === 'number' ? count : 0;
  const one = String(singular);
  const many = typeof pluralForm === 'string' ? pluralForm : `${one}s`;
  return `${n} ${n === 1 ? one : many}`;
}

/** Usage: {{#if (eq status "open")}} — strict equality. */
export function eq(a: unknown, b: unknown): boolean {
  return a === b;
}

/** Usage: {{json value}} — pretty-printed JSON as text (escaped by Handlebars like any string). */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export type AssetUrl = (file: string) => string;

/** Builds the helper set; `asset` needs the fingerprinted URLs of the public folder. */
export function createHelpers(assetUrl: AssetUrl): Record<string, HelperDelegate> {
  return {
    formatNumber,
    formatPercent,
    formatDate,
    plural,
    eq,
    json,
    /** Usage: {{asset "css/app.css"}} — the file's URL with a content hash for caching. */
    asset: (file: unknown) => assetUrl(String(file)),
  };
}
