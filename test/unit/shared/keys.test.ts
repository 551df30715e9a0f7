import { createHmac } from 'node:crypto';
import { deriveKey, keyRing, type KeyPurpose } from '../../../src/shared/keys';

const MASTER = 'a master secret of at least thirty-two characters';
const OTHER = 'another master secret, also thirty-two characters';
const PURPOSES: KeyPurpose[] = [
  'sessionCookies',
  'invitationLinks',
  'rateLimitKeys',
  'presenterLinks',
  'resultsLinks',
];

/** HKDF-SHA256 written out from RFC 5869 (extract, then expand to one 32-byte block). */
function rfc5869(ikm: string, salt: string, info: string): string {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from(info), Buffer.from([1])]))
    .digest('base64url');
}

describe('deriveKey', () => {
  it('is HKDF-SHA256 of the master with a fixed salt and one label per use', () => {
    expect(deriveKey(MASTER, 'sessionCookies')).toBe(
      rfc5869(MASTER, 'teamlens/hkdf/v1', 'teamlens/session-cookies/v1'),
    );
  });

  it('gives the same key for the same master and use, on every instance and start', () => {
    // A known vector: if it changes, every session and every invitation link sent is lost.
    expect(deriveKey(MASTER, 'invitationLinks')).toBe(
      'Kgkz8qM_O3WJ9uPc-SbcdspxNdGjV9mi5SPpgm_-CCQ',
    );
    expect(deriveKey(MASTER, 'invitationLinks')).toBe(deriveKey(MASTER, 'invitationLinks'));
  });

  it('gives each use a key of its own, none of them the master, and other masters other keys', () => {
    const keys = PURPOSES.flatMap((purpose) => [
      deriveKey(MASTER, purpose),
      deriveKey(OTHER, purpose),
    ]);

    expect(new Set([...keys, MASTER, OTHER]).size).toBe(keys.length + 2);
    for (const key of keys) expect(Buffer.from(key, 'base64url')).toHaveLength(32);
  });
});

describe('keyRing', () => {
  it('signs with the current master’s key; without a rotation nothing else verifies', () => {
    expect(keyRing({ current: MASTER }, 'sessionCookies')).toEqual({
      current: deriveKey(MASTER, 'sessionCookies'),
      previous: [],
    });
  });

  it('during a rotation, the previous master’s key verifies but never signs', () => {
    expect(keyRing({ current: MASTER, previous: OTHER }, 'sessionCookies')).toEqual({
      current: deriveKey(MASTER, 'sessionCookies'),
      previous: [deriveKey(OTHER, 'sessionCookies')],
    });
  });

  it('with `underived`, the masters themselves verify too (what they signed before keys were derived)', () => {
    expect(
      keyRing({ current: MASTER, previous: OTHER }, 'invitationLinks', { underived: true }),
    ).toEqual({
      current: deriveKey(MASTER, 'invitationLinks'),
      previous: [deriveKey(OTHER, 'invitationLinks'), MASTER, OTHER],
    });
  });
});
