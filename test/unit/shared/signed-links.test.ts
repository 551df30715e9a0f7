import { createHmac } from 'node:crypto';
import { signedLinks } from '../../../src/shared/signed-links';

const ring = { current: 'current key', previous: ['previous key'] };
const id = 'a1b2c3d4e5f6';

describe('signedLinks', () => {
  const links = signedLinks(ring, 'presenter');

  it('signs the id with an HMAC-SHA256 of its scope and id, cut to 22 characters', () => {
    const expected = createHmac('sha256', 'current key')
      .update(`presenter:${id}`)
      .digest('base64url')
      .slice(0, 22);

    expect(links.tokenOf(id)).toBe(`${id}.${expected}`);
    expect(links.idOf(links.tokenOf(id))).toBe(id);
  });

  it('still verifies a token signed with a previous key (a rotation), not one of another scope', () => {
    const before = signedLinks({ current: 'previous key', previous: [] }, 'presenter');
    const otherScope = signedLinks(ring, 'results');

    expect(links.idOf(before.tokenOf(id))).toBe(id);
    expect(links.idOf(otherScope.tokenOf(id))).toBeNull();
  });

  it.each([
    ['another id under the signature', (t: string) => t.replace(id, 'f6e5d4c3b2a1')],
    ['a changed signature', (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`],
    ['no signature', () => id],
    ['a short signature', (t: string) => t.slice(0, -1)],
    ['something else', () => 42],
  ])('refuses %s', (_case, change) => {
    expect(links.idOf(change(links.tokenOf(id)))).toBeNull();
  });
});
