import { randomBytes } from 'node:crypto';

/**
 * A random, URL-safe id (128 bits). Used instead of ObjectIds wherever an id must not reveal
 * when it was made (an ObjectId embeds its creation time) or be guessable from another id.
 */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
