import { z } from 'zod';
import { emailAddress } from '../../../src/shared/email';

const Email = emailAddress((input) => `“${input}” is not an e-mail address.`);

describe('an e-mail address', () => {
  it.each([
    'ana@example.org',
    'first.last+tag@sub.example.co.uk',
    "o'neil@example.org",
    'chloé@team.example',
    'ana@bücher.example',
    'пользователь@пример.рф',
    '用户@例子.广告',
    'ana@example.xn--p1ai',
  ])('accepts %s', (address) => {
    expect(Email.parse(address)).toBe(address.normalize('NFC'));
  });

  it('is NFC-normalised, so an accent typed apart is the same address', () => {
    expect(Email.parse('chloe\u0301@team.example')).toBe('chloé@team.example');
  });

  it.each([
    ['no @', 'ana.example.org'],
    ['two @', 'ana@b@example.org'],
    ['a space', 'ana maria@example.org'],
    ['a line break (header injection)', 'ana@example.org\r\nBcc: eve@example.org'],
    ['a second address', 'ana@example.org,eve@example.org'],
    ['angle brackets', 'Ana <ana@example.org>'],
    ['quotes', '"ana"@example.org'],
    ['a leading dot', '.ana@example.org'],
    ['a doubled dot', 'ana..b@example.org'],
    ['no top-level domain', 'ana@localhost'],
    ['a digit top-level domain', 'ana@example.123'],
    ['a hyphen at a label’s end', 'ana@example-.org'],
    ['a control character', 'ana\u0007@example.org'],
    ['a bidi override', 'ana\u202e@example.org'],
    ['a zero-width space', 'ana\u200b@example.org'],
    ['a local part over 64 bytes', `${'é'.repeat(33)}@example.org`],
    ['too long', `${'a'.repeat(60)}@${'b'.repeat(200)}.example.org`],
  ])('refuses one with %s', (_why, address) => {
    const result = Email.safeParse(address);
    expect(result.success).toBe(false);
  });

  it('names the text in its message', () => {
    const result = Email.safeParse('not-an-address');
    expect(result.error?.issues[0]?.message).toBe('“not-an-address” is not an e-mail address.');
  });

  it('is declared as an internationalised address in the API document', () => {
    expect(z.toJSONSchema(Email, { io: 'input' })).toMatchObject({ format: 'idn-email' });
  });
});
