import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { HelperDelegate, TemplateDelegate } from 'handlebars';

type RenderCallback = (err: Error | null, html?: string) => void;
export type ViewEngine = (filePath: string, options: object, callback: RenderCallback) => void;

/** Locals Express adds to every render that are not for templates. */
const EXPRESS_INTERNALS = new Set(['settings', '_locals', 'cache']);

/**
 * A Handlebars view engine for Express that reads and compiles every template once, when the
 * app is built: a syntax error fails start-up instead of the first request, and no request pays
 * for reading or parsing a file. (express-handlebars recompiles on every render unless Express's
 * `view cache` is on, which it ties to NODE_ENV; we want the same behaviour everywhere.)
 *
 * Layout: `views/layouts/<name>.hbs`, `main` unless a render passes `layout: 'print'` or
 * `layout: false`. Partials: every file under `views/partials/`, named by its path without the
 * extension (`charts/histogram`). Each engine has its own Handlebars environment.
 */
export function createViewEngine(options: {
  viewsDir: string;
  helpers: Readonly<Record<string, HelperDelegate>>;
}): ViewEngine {
  const hbs = Handlebars.create();
  for (const [name, helper] of Object.entries(options.helpers)) hbs.registerHelper(name, helper);

  const templates = new Map<string, TemplateDelegate>();
  for (const file of listTemplates(options.viewsDir)) {
    // Parsing now surfaces syntax errors at start-up; the parsed tree is turned into a function
    // once, on first use, and kept.
    const source = readFileSync(file, 'utf8');
    const ast = hbs.parse(source);
    const template = hbs.compile(ast, { preventIndent: true });
    templates.set(file, template);
    const relative = path.relative(options.viewsDir, file).replace(/\\/g, '/');
    if (relative.startsWith('partials/')) {
      hbs.registerPartial(relative.slice('partials/'.length, -'.hbs'.length), template);
    }
  }

  const layoutFor = (layout: unknown): TemplateDelegate | undefined => {
    if (layout === false) return undefined;
    const name = typeof layout === 'string' ? layout : 'main';
    const template = templates.get(path.join(options.viewsDir, 'layouts', `${name}.hbs`));
    if (!template) throw new Error(`Unknown layout "${name}"`);
    return template;
  };

  return (filePath, renderOptions, callback) => {
    try {
      const template = templates.get(path.resolve(filePath));
      if (!template) throw new Error(`Unknown view ${filePath}`);
      const context = Object.fromEntries(
        Object.entries(renderOptions).filter(([key]) => !EXPRESS_INTERNALS.has(key)),
      );
      const body = template(context);
      const layout = layoutFor(context.layout);
      callback(null, layout ? layout({ ...context, body }) : body);
    } catch (err) {
      callback(err instanceof Error ? err : new Error(String(err)));
    }
  };
}

function listTemplates(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
