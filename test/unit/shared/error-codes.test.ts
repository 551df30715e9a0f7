import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../src/paths';
import { errorCodes } from '../../../src/shared/http/error-codes';

/** The status each AppError subclass answers with (src/shared/errors.ts). */
const STATUS_OF: Readonly<Record<string, number>> = {
  UnauthenticatedError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

/** `CODE status` for every error a feature throws with a literal code. */
function thrownCodes(): string[] {
  const dir = path.join(ROOT, 'src', 'features');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .flatMap((e) => {
      const source = readFileSync(path.join(e.parentPath, e.name), 'utf8');
      return [...source.matchAll(/new (\w+Error)\(\s*(?:(\d{3}),\s*)?'([A-Z_]+)'/g)].map(
        ([, kind, status, code]) => `${code!} ${status ?? STATUS_OF[kind!] ?? kind!}`,
      );
    });
}

describe('the table of error codes', () => {
  it('holds every code a feature throws, under the status it is thrown with', () => {
    const thrown = [...new Set(thrownCodes())].sort();
    const known = Object.entries(errorCodes).flatMap(([code, meanings]) =>
      Object.keys(meanings).map((status) => `${code} ${status}`),
    );

    expect(thrown.length).toBeGreaterThan(20);
    expect(thrown.filter((entry) => !known.includes(entry))).toEqual([]);
  });
});
