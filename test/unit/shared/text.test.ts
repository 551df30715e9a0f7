import { z } from 'zod';
import { parseInput } from '../../../src/shared/http/validate';
import {
  multiLineText,
  singleLineText,
  textMessages,
  withoutInvisibleControls,
} from '../../../src/shared/text';

const Title = singleLineText({ max: 20, required: 'Enter a title' });
const Notes = multiLineText({ max: 40 });

/** What a name or title must never hold, each with a name for the test's title. */
const NEVER: readonly (readonly [string, string])[] = [
  ['NUL', 'a\u0000b'],
  ['a bell (C0)', 'a\u0007b'],
  ['vertical tab', 'a\u000Bb'],
  ['escape (terminal sequences)', 'a\u001B[31mb'],
  ['DEL', 'a\u007Fb'],
  ['NEL (C1)', 'a\u0085b'],
  ['a C1 control', 'a\u009Bb'],
  ['the line separator U+2028', 'a\u2028b'],
  ['the paragraph separator U+2029', 'a\u2029b'],
  ['a right-to-left override U+202E', 'a\u202Eb'],
  ['a left-to-right embedding U+202A', 'a\u202Ab'],
  ['a first-strong isolate U+2068', 'a\u2068b'],
  ['a pop directional isolate U+2069', 'a\u2069b'],
];

/** The field issues parseInput reports for `value`, or 'accepted'. */
const refusal = (schema: z.ZodType, value: string) => {
  try {
    parseInput(z.object({ field: schema }), { field: value });
  } catch (err) {
    return (err as { details: unknown }).details;
  }
  return 'accepted';
};

describe('singleLineText', () => {
  it.each(NEVER)('refuses %s', (_name, value) => {
    expect(refusal(Title, value)).toEqual([{ path: 'field', message: textMessages.oneLine }]);
  });

  it.each([
    ['CR LF (a header after it in a mail subject)', 'Q3\r\nBcc: x@y'],
    ['LF', 'Q3\nBcc: x@y'],
    ['CR', 'Q3\rBcc'],
    ['a tab', 'Q3\tretro'],
    ['a line break at the end', 'Q3 retro\n'],
  ])('refuses %s', (_name, value) => {
    expect(refusal(Title, value)).toEqual([{ path: 'field', message: textMessages.oneLine }]);
  });

  it('accepts letters of any script, emoji, marks and spaces, and trims the ends', () => {
    expect(Title.parse('  Équipe 東京 🚀  ')).toBe('Équipe 東京 🚀');
    expect(Title.parse('שלום\u200F team')).toBe('שלום\u200F team');
  });

  it('keeps its limits: required and at most `max` characters, with the messages given', () => {
    expect(refusal(Title, '   ')).toEqual([{ path: 'field', message: 'Enter a title' }]);
    expect(refusal(Title, 'x'.repeat(21))).toEqual([
      { path: 'field', message: 'Use at most 20 characters.' },
    ]);
    expect(singleLineText({ max: 5 }).parse('')).toBe('');
  });

  it('is documented in JSON Schema as a pattern that refuses the same characters', () => {
    const schema = z.toJSONSchema(Title, { io: 'input' }) as { pattern: string };
    const pattern = new RegExp(schema.pattern, 'u');

    for (const [, value] of NEVER) expect(pattern.test(value)).toBe(false);
    expect(pattern.test('Q3\r\nBcc: x@example.com')).toBe(false);
    expect(pattern.test('Équipe 東京 🚀')).toBe(true);
  });
});

describe('multiLineText', () => {
  it('keeps line breaks (CR LF as browsers send a textarea) and tabs', () => {
    expect(Notes.parse('first\r\nsecond\n\tthird')).toBe('first\r\nsecond\n\tthird');
  });

  it.each(NEVER)('refuses %s', (_name, value) => {
    expect(refusal(Notes, value)).toEqual([{ path: 'field', message: textMessages.lines }]);
  });

  it('trims unless told not to', () => {
    expect(Notes.parse('  notes \n')).toBe('notes');
    expect(multiLineText({ max: 40, trim: false }).parse('  as typed \n')).toBe('  as typed \n');
  });
});

describe('withoutInvisibleControls', () => {
  it('replaces what multiLineText refuses with a space (separators with a line break), keeping tabs and line breaks', () => {
    const pasted = 'One\u000Btwo\u0000three\u202Efour\u2028five\tsix\r\nseven';

    const cleaned = withoutInvisibleControls(pasted);

    expect(cleaned).toBe('One two three four\nfive\tsix\r\nseven');
    expect(multiLineText({ max: 100 }).safeParse(cleaned).success).toBe(true);
  });
});
