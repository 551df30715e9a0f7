import {
  AppError,
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../../src/shared/errors';
import { toAppError } from '../../../src/shared/http/error-handlers';

function bodyParserError(status: number, type: string): Error {
  return Object.assign(new Error('raw parser text'), {
    status,
    statusCode: status,
    type,
    expose: true,
  });
}

function namedError(name: string): Error {
  const err = new Error('connect ECONNREFUSED 127.0.0.1:27017');
  err.name = name;
  return err;
}

describe('toAppError', () => {
  it.each([
    ['a 404', new NotFoundError('ROUND_NOT_FOUND', 'Round x not found'), 404, 'ROUND_NOT_FOUND'],
    ['a 409', new ConflictError('ROUND_NOT_DRAFT', 'Only a draft'), 409, 'ROUND_NOT_DRAFT'],
    [
      'a validation error',
      new ValidationError([{ path: 'a', message: 'm' }]),
      400,
      'VALIDATION_FAILED',
    ],
    ['a body over the limit', bodyParserError(413, 'entity.too.large'), 413, 'PAYLOAD_TOO_LARGE'],
    ['malformed JSON', bodyParserError(400, 'entity.parse.failed'), 400, 'MALFORMED_BODY'],
    [
      'an unsupported charset',
      bodyParserError(415, 'charset.unsupported'),
      415,
      'UNSUPPORTED_ENCODING',
    ],
    ['another client error of the HTTP layer', bodyParserError(400, 'other'), 400, 'BAD_REQUEST'],
    [
      'an unreachable database',
      namedError('MongoServerSelectionError'),
      503,
      'DATABASE_UNAVAILABLE',
    ],
    ['a dropped database connection', namedError('MongoNetworkError'), 503, 'DATABASE_UNAVAILABLE'],
    ['a raw Error (a bug)', new Error('boom: secret detail'), 500, 'INTERNAL'],
    ['a thrown string (a bug)', 'oops', 500, 'INTERNAL'],
  ])('maps %s to %i %s', (_name, thrown, status, code) => {
    const appError = toAppError(thrown);
    expect(appError).toBeInstanceOf(AppError);
    expect(appError.status).toBe(status);
    expect(appError.code).toBe(code);
  });

  it('keeps an AppError as it is, details included', () => {
    const original = new ValidationError([{ path: 'answers.0.value', message: 'Too big' }]);
    expect(toAppError(original)).toBe(original);
  });

  it('never exposes the message of a bug or of the parser', () => {
    expect(toAppError(new Error('boom: secret detail')).message).toBe('Something went wrong.');
    expect(toAppError(bodyParserError(400, 'entity.parse.failed')).message).not.toContain('raw');
  });

  it('keeps the original error as cause of a 500, for the log', () => {
    const bug = new Error('boom');
    expect(toAppError(bug).cause).toBe(bug);
  });

  it('asks the client to retry after a database outage', () => {
    const appError = toAppError(namedError('MongoNotConnectedError'));
    expect(appError).toBeInstanceOf(ServiceUnavailableError);
    expect((appError as ServiceUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('does not treat a 5xx from the HTTP layer as a client error', () => {
    expect(toAppError(bodyParserError(500, 'stream.not.readable')).code).toBe('INTERNAL');
  });
});
