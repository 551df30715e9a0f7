import type { IncomingMessage } from 'node:http';
import { requestIdFor } from '../../../src/shared/http/request-id';

const withHeader = (value?: string) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as IncomingMessage;

describe('requestIdFor', () => {
  it('keeps a plain incoming X-Request-Id', () => {
    expect(requestIdFor(withHeader('abc-123.x:y'))).toBe('abc-123.x:y');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['with a newline (log injection)', 'a\nb'],
    ['with markup', '<script>'],
    ['too long', 'a'.repeat(129)],
  ])('when the incoming id is %s, makes a new UUID', (_case, value) => {
    expect(requestIdFor(withHeader(value))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});
