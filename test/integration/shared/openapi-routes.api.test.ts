import { tracingChannel } from 'node:diagnostics_channel';
import type { Express, Request } from 'express';
import request from 'supertest';
import { apiDocument, buildTestApp } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
});
afterAll(() => db.drop());

/** `GET /teams/{teamId}` for each operation of the document (paths relative to /api/v1). */
const operations = Object.entries(
  (apiDocument() as { paths: Record<string, Record<string, unknown>> }).paths,
).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

/** One `listRoutes()` entry of the `router` package (Express 5's router, 2.3 and later). */
type RouteEntry = Readonly<{ path: string | RegExp; methods?: string[]; router?: Routes }>;
type Routes = Readonly<{ listRoutes(): RouteEntry[] }>;

/** Joins a mount path and a route path as Express matches them: `/api/v1` + `/` + `/teams`. */
const joined = (prefix: string, path: string | RegExp) =>
  `${prefix}${String(path)}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');

/** Every route of the app, `METHOD /full/:path`, walking the mounted routers. */
function routesOf(routes: Routes, prefix = ''): string[] {
  return routes.listRoutes().flatMap((entry) =>
    entry.router
      ? routesOf(entry.router, joined(prefix, entry.path))
      : // HEAD is what Express adds to every GET by itself; OpenAPI lists the GET alone.
        (entry.methods ?? [])
          .filter((method) => method !== 'HEAD')
          .map((method) => `${method} ${joined(prefix, entry.path)}`),
  );
}

/** What OpenAPI calls the same route: relative to /api/v1, `{param}` for `:param`. */
const asOperation = (route: string) => route.replace(' /api/v1/', ' /').replace(/:(\w+)/g, '{$1}');

/** The document describes the API; it is no operation of it. */
const NOT_AN_OPERATION = 'GET /openapi.json';

const duplicatesIn = (list: readonly string[]) => list.filter((x, i) => list.indexOf(x) !== i);

describe('the /api/v1 routes and the OpenAPI document', () => {
  it('have exactly one operation for each route and one route for each operation', () => {
    // Arrange: the whole app, so a route registered outside the API router is seen as well.
    const routes = routesOf((app as unknown as { router: Routes }).router)
      .filter((route) => route.split(' ')[1]!.startsWith('/api/v1/'))
      .map(asOperation)
      .filter((route) => route !== NOT_AN_OPERATION);

    expect(routes.length).toBeGreaterThan(0);
    expect({ undocumented: routes.filter((r) => !operations.includes(r)) }).toEqual({
      undocumented: [],
    });
    expect({ withoutRoute: operations.filter((o) => !routes.includes(o)) }).toEqual({
      withoutRoute: [],
    });
    expect({ registeredTwice: duplicatesIn(routes) }).toEqual({ registeredTwice: [] });
    expect({ documentedTwice: duplicatesIn(operations) }).toEqual({ documentedTwice: [] });
  });

  describe('each operation is answered by its own route, not one before it or the 404', () => {
    // The router reports every handler it calls (diagnostics_channel); `req.route` is the route
    // that matched, so the first handler with one names the route that answered.
    let answeredBy: string | undefined;
    const onStart = (context: unknown) => {
      const { req } = context as { req: Request };
      if (req.route && answeredBy === undefined)
        answeredBy = `${req.method} ${joined(req.baseUrl, (req.route as { path: string }).path)}`;
    };
    const { start } = tracingChannel('express.router.request');
    beforeAll(() => start.subscribe(onStart));
    afterAll(() => start.unsubscribe(onStart));

    it.each(operations)('%s', async (operation) => {
      const [method, path] = operation.split(' ');
      answeredBy = undefined;

      // No token and no body, so nothing changes: writes answer 401 or 400 from their handler.
      await request(app)[method!.toLowerCase() as 'get'](
        `/api/v1${path!.replace(/\{(\w+)\}/g, 'placeholder-$1')}`,
      );

      expect(answeredBy && asOperation(answeredBy)).toBe(operation);
    });
  });
});
