import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './keys';

/** The signature's length: 22 base64url characters, 132 bits of an HMAC-SHA256. */
const SIGNATURE_LENGTH = 22;
const TOKEN = /^([A-Za-z0-9_-]{10,40})\.([A-Za-z0-9_-]{22})$/;

/**
 * Links that carry an id and its signature (`<id>.<signature>`): the server stores nothing
 * secret, shows the same link again whenever it is asked, and a link stops working when its
 * record is deleted (revoked) or its key is retired. `scope` keeps the tokens of one use from
 * verifying in another even under the same key.
 */
export function signedLinks(keys: KeyRing, scope: string) {
  const signatureOf = (id: string, key: string) =>
    createHmac('sha256', key)
      .update(`${scope}:${id}`)
      .digest('base64url')
      .slice(0, SIGNATURE_LENGTH);
  return {
    /** The token of `id`, signed with the current key. */
    tokenOf: (id: string) => `${id}.${signatureOf(id, keys.current)}`,
    /** The id a token was signed for, by the current or a previous key; null for anything else. */
    idOf(token: unknown): string | null {
      const match = typeof token === 'string' ? TOKEN.exec(token) : null;
      if (!match) return null;
      const [, id = '', signature = ''] = match;
      const given = Buffer.from(signature);
      return [keys.current, ...keys.previous].some((key) =>
        timingSafeEqual(given, Buffer.from(signatureOf(id, key))),
      )
        ? id
        : null;
    },
  };
}

export type SignedLinks = ReturnType<typeof signedLinks>;
