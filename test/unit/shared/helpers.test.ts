import {
  eq,
  formatDate,
  formatNumber,
  formatPercent,
  json,
  plural,
} from '../../../src/shared/views/helpers';

/** Handlebars passes an options object last; helpers must ignore it. */
const hbsOptions = { hash: {} };

describe('view helpers', () => {
  it.each([
    [3.14159, 2, '3.14'],
    [3.14159, hbsOptions, '3.1'],
    [4, 0, '4'],
    [Number.NaN, 1, '–'],
    [undefined, 1, '–'],
    ['3', 1, '–'],
  ])('formatNumber(%p, %p) is %p', (value, digits, expected) => {
    expect(formatNumber(value, digits)).toBe(expected);
  });

  it.each([
    [0.426, '43 %'],
    [0, '0 %'],
    [1, '100 %'],
    [null, '–'],
  ])('formatPercent(%p) is %p', (share, expected) => {
    expect(formatPercent(share)).toBe(expected);
  });

  it('formatDate gives the ISO day of a date or an ISO string, and a dash otherwise', () => {
    expect(formatDate(new Date('2026-03-02T23:30:00Z'))).toBe('2026-03-02');
    expect(formatDate('2026-01-15T00:00:00.000Z')).toBe('2026-01-15');
    expect(formatDate('not a date')).toBe('–');
    expect(formatDate(undefined)).toBe('–');
  });

  it('plural picks the singular only for exactly one', () => {
    expect(plural(1, 'response', 'responses')).toBe('1 response');
    expect(plural(0, 'response', 'responses')).toBe('0 responses');
    expect(plural(3, 'team', hbsOptions)).toBe('3 teams');
  });

  it('eq is strict equality', () => {
    expect(eq('open', 'open')).toBe(true);
    expect(eq(1, '1')).toBe(false);
  });

  it('json pretty-prints', () => {
    expect(json({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
