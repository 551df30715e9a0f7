// Responses: one respondent's answers to one round, stored anonymously by design. Depends on
// shared/ only; rounds and reports read counts and answers through this module.
import type { Connection } from '../../shared/db/connect';
import { createResponseRepository } from './response.repository';

export function createResponsesModule(deps: { conn: Connection }) {
  const repository = createResponseRepository(deps.conn);
  return {
    counts: { countByRound: (roundIds: readonly string[]) => repository.countByRound(roundIds) },
  };
}
