import { hkdfSync } from 'node:crypto';

/**
 * What each key derived from the master secret (SESSION_SECRET) is for. Each use gets its own
 * key, so no signature or stored HMAC of one use is valid in another, and a use's key changes
 * alone when its label does (the version at the end). Changing a label changes every signature
 * of that use: existing sessions, or links already sent, stop verifying.
 */
const LABELS = {
  sessionCookies: 'teamlens/session-cookies/v1',
  invitationLinks: 'teamlens/invitation-links/v1',
  rateLimitKeys: 'teamlens/rate-limit-keys/v1',
  presenterLinks: 'teamlens/presenter-links/v1',
  resultsLinks: 'teamlens/results-links/v1',
} as const;

export type KeyPurpose = keyof typeof LABELS;

/** HKDF's salt: fixed and public (RFC 5869, 3.1), as every instance must derive the same keys. */
const SALT = 'teamlens/hkdf/v1';

/** The key of one use of `master`: 32 bytes of HKDF-SHA256 (RFC 5869), as base64url. */
export function deriveKey(master: string, purpose: KeyPurpose): string {
  return Buffer.from(hkdfSync('sha256', master, SALT, LABELS[purpose], 32)).toString('base64url');
}

/** The key that signs, and the keys that still verify what older keys signed. */
export type KeyRing = Readonly<{ current: string; previous: readonly string[] }>;

/** The master secret, and during a rotation the one it replaced (it verifies, never signs). */
export type Secrets = Readonly<{ current: string; previous?: string | undefined }>;

/**
 * The keys of one use: the current master's signs; the previous master's verifies during a
 * rotation. `underived` also accepts the masters themselves, which signed before keys were
 * derived (for what outlives an upgrade, such as invitation links in mailboxes).
 */
export function keyRing(
  secrets: Secrets,
  purpose: KeyPurpose,
  options: { underived?: boolean } = {},
): KeyRing {
  const masters = secrets.previous === undefined ? [] : [secrets.previous];
  return {
    current: deriveKey(secrets.current, purpose),
    previous: [
      ...masters.map((master) => deriveKey(master, purpose)),
      ...(options.underived ? [secrets.current, ...masters] : []),
    ],
  };
}
