import { accountApi } from './features/accounts';
import { actionApi } from './features/actions';
import { demoApi } from './features/demo';
import { invitationApi } from './features/invitations';
import { questionnaireApi } from './features/questionnaires';
import { reportApi } from './features/reports';
import { responseApi } from './features/responses';
import { roundApi } from './features/rounds';
import { teamApi } from './features/teams';
import { apiDocsView, openApiDocument } from './shared/http/openapi';

/**
 * The /api/v1 operations, declared by each feature beside its routes, in the order the API docs
 * page lists them. test/integration/shared/openapi-routes.api.test.ts checks that they are
 * exactly the routes the app serves.
 */
const FEATURES = [
  questionnaireApi,
  accountApi,
  teamApi,
  roundApi,
  reportApi,
  responseApi,
  actionApi,
  invitationApi,
  demoApi,
];

/** The OpenAPI 3.1 document served at /api/v1/openapi.json. */
export function buildOpenApiDocument(): Record<string, unknown> {
  return openApiDocument(FEATURES);
}

/** What GET /api/docs renders from the document. */
export function toApiDocsView(document: Record<string, unknown>) {
  return apiDocsView(document, FEATURES);
}
