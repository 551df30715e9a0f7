import { buildOpenApiDocument } from '../../src/openapi';

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { responses: Record<string, unknown>; operationId: string }>
    >;
    components: { schemas: Record<string, unknown> };
  };

  it('is OpenAPI 3.1 with the JSON Schema 2020-12 dialect', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('resolves every $ref to a component schema', () => {
    const refs = [
      ...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(doc.components.schemas).toHaveProperty([name!]);
  });

  it('gives every operation a unique id and at least one success response', () => {
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      expect(Object.keys(op.responses).some((status) => status.startsWith('2'))).toBe(true);
    }
  });

  it('documents the error shape once, as a component', () => {
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
    });
  });
});
