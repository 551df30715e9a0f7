import { LinkToken } from '../../../src/features/responses';
import { newLinkToken } from '../../../src/features/rounds/round.service';

describe('newLinkToken', () => {
  it('makes 40 characters with nothing to confuse or clip, every one different', () => {
    const tokens = Array.from({ length: 2000 }, newLinkToken);

    for (const token of tokens) expect(token).toMatch(/^[0-9a-hjkmnp-tv-z]{40}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every character of the alphabet turns up: the 200 bits are spread over all 40 places.
    expect(new Set(tokens.join('')).size).toBe(32);
  });

  it('is accepted by the link schema, and so are links made before (base64url)', () => {
    expect(LinkToken.safeParse(newLinkToken()).success).toBe(true);
    expect(LinkToken.safeParse('Ab-_'.repeat(8)).success).toBe(true);
    expect(LinkToken.safeParse('i'.repeat(40)).success).toBe(false);
  });
});
