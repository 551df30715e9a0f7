import type { ApiRouter } from './shared/http/openapi';
import { apiDocsView, openApiDocument } from './shared/http/openapi';

/**
 * The /api/v1 document, from the operations the features' API routers registered: app.ts mounts
 * one list of routers and documents the same list, so no route goes undocumented and no
 * operation lacks its route.
 */
export function buildOpenApiDocument(
  routers: readonly ApiRouter<unknown>[],
): Record<string, unknown> {
  return openApiDocument(routers.flatMap((r) => r.operations));
}

/** What GET /api/docs renders from the document. */
export function toApiDocsView(
  document: Record<string, unknown>,
  routers: readonly ApiRouter<unknown>[],
) {
  return apiDocsView(
    document,
    routers.flatMap((r) => r.operations),
  );
}
