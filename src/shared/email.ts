import { domainToASCII } from 'node:url';
import { z } from 'zod';

/**
 * An e-mail address as people type it, internationalised ones included (RFC 6531: "chloé@…",
 * "…@bücher.example"), which nodemailer sends with SMTPUTF8 where the server offers it.
 *
 * Stricter than RFC 5321 on purpose: the local part is letters, marks and digits of any script
 * and `_ ' + - .` (no leading, trailing or doubled dot), the domain is labels of letters, marks,
 * digits and inner hyphens with a top-level label of letters (or its `xn--` form). No quotes,
 * spaces, `<>`, commas, `@` in the local part or control characters: nothing that could end an
 * address in a header, add a second one or a header line (header injection), and nothing
 * people mistype into an address. Unicode text is NFC-normalised first, so "é" typed as one
 * character or as "e" plus an accent is the same address.
 */
const LOCAL = String.raw`[\p{L}\p{M}\p{N}_'+\-]+(?:\.[\p{L}\p{M}\p{N}_'+\-]+)*`;
const LABEL = String.raw`[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}\-]*[\p{L}\p{M}\p{N}])?`;
const TOP = String.raw`(?:\p{L}[\p{L}\p{M}]+|xn--[A-Za-z0-9\-]+)`;
export const EMAIL_PATTERN = new RegExp(`^${LOCAL}@(?:${LABEL}\\.)+${TOP}$`, 'u');

/** RFC 5321's limits, counted in the bytes sent: 64 for the local part, 254 in all. */
const MAX_LOCAL_BYTES = 64;
export const MAX_EMAIL_LENGTH = 254;

/** The domain as DNS knows it ("xn--bcher-kva.example"); empty when IDNA refuses it. */
function asciiDomain(address: string): string {
  return domainToASCII(address.slice(address.lastIndexOf('@') + 1));
}

function fits(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf('@'));
  const domain = asciiDomain(address);
  return (
    domain !== '' &&
    Buffer.byteLength(local, 'utf8') <= MAX_LOCAL_BYTES &&
    Buffer.byteLength(local, 'utf8') + 1 + domain.length <= MAX_EMAIL_LENGTH
  );
}

/**
 * The schema of an e-mail address field; `invalid` is the message for text that is not one
 * (a function gets the text, to name it in a list of addresses).
 */
export function emailAddress(invalid: string | ((input: string) => string)) {
  const message = (input: unknown) =>
    typeof invalid === 'string' ? invalid : invalid(String(input));
  return z
    .string()
    .trim()
    .normalize('NFC')
    .max(MAX_EMAIL_LENGTH, `An e-mail address has at most ${MAX_EMAIL_LENGTH} characters`)
    .pipe(
      z
        .email({ pattern: EMAIL_PATTERN, error: (issue) => message(issue.input) })
        // Only for text of an address's shape: the pattern already named any other, once.
        .refine((address) => !EMAIL_PATTERN.test(address) || fits(address), {
          error: (issue) => message(issue.input),
        }),
    )
    .meta({ format: 'idn-email' });
}
