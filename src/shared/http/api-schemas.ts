import { z } from 'zod';

/**
 * The names the OpenAPI document gives schemas (`components.schemas`), and how an answer with
 * one is described unless its operation says otherwise: `RoundDto.register(apiSchemas, { id:
 * 'Round', description: 'The round' })` beside the schema, so `responses: { 200: RoundDto }`
 * is all a route declares. A registry of its own, not zod's global `.meta({ id })`: with that,
 * z.toJSONSchema would move the schema into `$defs` wherever another one nests it (RoundList's
 * items) and write the description into it, and the document would change with every DTO.
 */
export type ApiSchemaMeta = Readonly<{ id: string; description?: string }>;
export const apiSchemas = z.registry<ApiSchemaMeta>();
