import { apiDocument } from '../support/app';

describe('the OpenAPI document', () => {
  const doc = apiDocument() as {
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

  it('links only to operations that exist, through parameters they have', () => {
    type Op = {
      operationId: string;
      parameters?: { name: string; in: string }[];
      responses: Record<
        string,
        { links?: Record<string, { operationId: string; parameters: Record<string, string> }> }
      >;
    };
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p)) as Op[];
    const byId = new Map(operations.map((o) => [o.operationId, o]));
    const links = operations.flatMap((o) =>
      Object.values(o.responses).flatMap((r) => Object.values(r.links ?? {})),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const target = byId.get(link.operationId);
      expect(target).toBeDefined();
      for (const name of Object.keys(link.parameters)) {
        const [where, param] = name.includes('.') ? name.split('.') : ['path', name];
        expect(target!.parameters).toContainEqual(
          expect.objectContaining({ in: where, name: param }),
        );
      }
    }
  });

  it('documents 503 on database-backed operations and 413 wherever a body is sent', () => {
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p)) as {
      operationId: string;
      requestBody?: unknown;
      responses: Record<string, unknown>;
    }[];
    for (const op of operations) {
      if (op.requestBody) expect(op.responses).toHaveProperty('413');
      if (!['getQuestionnairesSchemaJson', 'postQuestionnairesValidate'].includes(op.operationId))
        expect(op.responses).toHaveProperty('503');
    }
  });

  it('documents 401 wherever a token may be sent, optional ones included', () => {
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p)) as {
      security?: unknown[];
      responses: Record<string, unknown>;
    }[];
    const acceptingTokens = operations.filter((op) => op.security?.length !== 0);
    expect(acceptingTokens.length).toBeGreaterThan(0);
    for (const op of acceptingTokens) expect(op.responses).toHaveProperty('401');
  });

  it('documents the error shape once, as a component', () => {
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
    });
  });
});
