import { csvCell, safeFileName, toCsv } from '../../../src/shared/csv';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-1 text', "'-1 text"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', `"'\rCR"`],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
  ])('writes %p as %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as numbers, a negative one included, and nothing for null', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
});

describe('toCsv', () => {
  it('starts with a UTF-8 byte-order mark and ends every record, the last included, with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'Chloé']])).toBe('\uFEFFa,b\r\n1,Chloé\r\n');
  });
});

describe('safeFileName', () => {
  it('keeps only ASCII letters, digits and hyphens', () => {
    expect(safeFileName(['Teamlens', 'Équipe "Ops"\r\nX-Injected: 1', '../../etc'], 'csv')).toBe(
      'teamlens-equipe-ops-x-injected-1-etc.csv',
    );
    expect(safeFileName(['', '!!!'], 'json')).toBe('teamlens-export.json');
  });
});
