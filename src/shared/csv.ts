/**
 * CSV per RFC 4180 (CRLF line ends; a field with a comma, quote or line break is quoted and its
 * quotes doubled), safe to open in a spreadsheet: a text cell that begins with =, +, -, @, a
 * tab or a carriage return is prefixed with an apostrophe, so it is never run as a formula.
 * Numbers are written as numbers (a negative gap stays a number). The file starts with a UTF-8
 * byte-order mark, which spreadsheets need to read it as UTF-8.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A UTF-8 byte-order mark: without it Excel reads the file as ANSI and "Chloé" breaks. */
export const BOM = '\uFEFF';

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return BOM + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A download name made of ASCII letters, digits and hyphens only: nothing to inject into a header. */
export function safeFileName(parts: readonly string[], extension: 'csv' | 'json' | 'pdf'): string {
  const slug = parts
    .join('-')
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'teamlens-export'}.${extension}`;
}
