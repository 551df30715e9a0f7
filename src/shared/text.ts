import { z } from 'zod';

/**
 * Free text people type, as zod building blocks: every such field of every feature is declared
 * with one of these, so the same characters are refused everywhere.
 *
 * Refused in all text: C0 controls but tab and line breaks, DEL and C1 controls, U+2028/U+2029
 * (line and paragraph separators, which some programs break lines at), and the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make text read
 * otherwise than it is stored ("Trojan Source", CVE-2021-42574). A name or title is also one
 * line: no CR or LF (a team name goes into e-mail subjects, where a line break would start a
 * header of its own), and no tab either: no name needs one, a browser shows it as a space
 * while an e-mail or a CSV file keeps it, and one rule, "no control characters", is simpler
 * to state and to check than one with an exception.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const ONE_LINE = /^[^\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/;
/** The same, with tab, LF and CR allowed. */
const LINES =
  /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/;
/** What LINES refuses, to replace. */
const NOT_IN_LINES =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

export const textMessages = {
  oneLine: 'Use one line, without tabs, line breaks or other control characters.',
  lines: 'Remove the control characters (only line breaks and tabs are allowed).',
} as const;

type Limits = Readonly<{
  max: number;
  /** The message for too long a text; without it, zod's own in words (validate.ts). */
  tooLong?: string;
  /** The message when nothing is left after trimming; without it, empty text is allowed. */
  required?: string | true;
}>;

/**
 * Checked before it is trimmed, as the OpenAPI document's `pattern` says: a line break at the
 * end is refused too, rather than accepted against the document.
 */
function text(pattern: RegExp, message: string, limits: Limits, trim = true): z.ZodString {
  const checked = z.string().regex(pattern, message);
  const trimmed = trim ? checked.trim() : checked;
  const filled =
    limits.required === undefined
      ? trimmed
      : trimmed.min(1, limits.required === true ? undefined : limits.required);
  return filled.max(limits.max, limits.tooLong);
}

/** A name, title, label or tag: one line, trimmed (see above for what is refused). */
export const singleLineText = (limits: Limits): z.ZodString =>
  text(ONE_LINE, textMessages.oneLine, limits);

/**
 * Notes, descriptions, answers: line breaks and tabs kept, other control characters refused;
 * trimmed unless `trim` is false (answers are stored as typed).
 */
export const multiLineText = (limits: Limits & { trim?: boolean }): z.ZodString =>
  text(LINES, textMessages.lines, limits, limits.trim);

/**
 * Text pasted into a form often carries characters nobody sees (a vertical tab from a word
 * processor, a line separator from a web page) that multiLineText refuses. A person cannot
 * find them to remove them, so a page adapter replaces each with a space before validation;
 * the API, whose clients can, gets the error. Line separators become line breaks.
 */
export function withoutInvisibleControls(text: string): string {
  return text.replace(NOT_IN_LINES, (c) => (c === '\u2028' || c === '\u2029' ? '\n' : ' '));
}
