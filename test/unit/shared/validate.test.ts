import { z } from 'zod';
import type { FieldIssue } from '../../../src/shared/errors';
import { parseInput } from '../../../src/shared/http/validate';

/** What parseInput says of `value`, as field issues. */
function issuesOf(schema: z.ZodType, value: unknown): FieldIssue[] {
  try {
    parseInput(schema, value);
  } catch (err) {
    return (err as { details: FieldIssue[] }).details;
  }
  throw new Error('expected a ValidationError');
}

const Body = z
  .object({
    emails: z.array(z.email()).min(1).max(3),
    size: z.number().int().min(1).max(1000),
    name: z.string().min(2).max(5),
    kind: z.enum(['anonymous', 'named']),
    on: z.iso.date(),
  })
  .strict();

describe('parseInput’s messages', () => {
  it('say what to give instead, never zod’s own words', () => {
    const issues = issuesOf(Body, {
      emails: 'a@example.com',
      size: 0,
      name: 'abcdefgh',
      kind: 'secret',
      on: 'yesterday',
      extra: 1,
    });
    expect(issues).toEqual([
      { path: 'emails', message: 'Give a list here.' },
      { path: 'size', message: 'Use at least 1.' },
      { path: 'name', message: 'Use at most 5 characters.' },
      { path: 'kind', message: 'Choose one of: anonymous, named.' },
      { path: 'on', message: 'Use a date like 2026-12-31.' },
      { path: '(root)', message: 'This field is not known here: extra. Leave it out.' },
    ]);
    for (const { message } of issues)
      expect(message).not.toMatch(/Invalid|expected|received|>=|<=/);
  });

  it('name what is missing, empty, or too many', () => {
    expect(issuesOf(Body, { emails: [], name: 'a' })).toEqual(
      expect.arrayContaining([
        { path: 'emails', message: 'Give at least 1 entry.' },
        { path: 'name', message: 'Use at least 2 characters.' },
        { path: 'size', message: 'This is required.' },
      ]),
    );
    expect(issuesOf(Body.shape.emails, ['a@example.com', 'b', 'c', 'd'])).toEqual([
      { path: '(root)', message: 'Give at most 3 entries.' },
    ]);
    expect(issuesOf(Body.shape.emails, ['a@example.com', 'b'])).toEqual([
      { path: '1', message: 'This is not an e-mail address.' },
    ]);
  });

  it('keep a message the schema gives itself', () => {
    const Named = z.string().min(1, 'Enter a team name');
    expect(issuesOf(Named, '')).toEqual([{ path: '(root)', message: 'Enter a team name' }]);
  });
});
