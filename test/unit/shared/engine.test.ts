import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createViewEngine, type ViewEngine } from '../../../src/shared/views/engine';

/** Writes a small views folder; these tests read local files but touch no server. */
function viewsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'teamlens-views-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function render(engine: ViewEngine, file: string, options: object): Promise<string> {
  return new Promise((resolve, reject) =>
    engine(file, options, (err, html) => (err ? reject(err) : resolve(html ?? ''))),
  );
}

describe('createViewEngine', () => {
  let dir: string;
  let engine: ViewEngine;

  beforeAll(() => {
    dir = viewsFolder({
      'layouts/main.hbs': '<main-layout><nav/>{{{body}}}</main-layout>',
      'layouts/print.hbs': '<print-layout>{{{body}}}</print-layout>',
      'partials/charts/bar.hbs': '<bar>{{label}}</bar>',
      'pages/show.hbs': '<h1>{{title}}</h1>{{> charts/bar label=title}}{{shout title}}',
    });
    engine = createViewEngine({
      viewsDir: dir,
      helpers: { shout: (value: unknown) => `${String(value)}!` },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a view inside the main layout, with partials by folder name and helpers', async () => {
    const html = await render(engine, path.join(dir, 'pages/show.hbs'), { title: 'Hi' });
    expect(html).toBe('<main-layout><nav/><h1>Hi</h1><bar>Hi</bar>Hi!</main-layout>');
  });

  it('escapes values everywhere, partials and helper output included', async () => {
    const html = await render(engine, path.join(dir, 'pages/show.hbs'), { title: '<script>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('uses another layout, or none, when the render asks', async () => {
    const file = path.join(dir, 'pages/show.hbs');
    expect(await render(engine, file, { title: 'P', layout: 'print' })).toMatch(/^<print-layout>/);
    expect(await render(engine, file, { title: 'P', layout: false })).toMatch(/^<h1>/);
  });

  it('passes Express internals (settings) to no template', async () => {
    const probe = viewsFolder({
      'layouts/main.hbs': '{{{body}}}',
      'x.hbs': '[{{settings.secret}}]',
    });
    const html = await render(
      createViewEngine({ viewsDir: probe, helpers: {} }),
      path.join(probe, 'x.hbs'),
      {
        settings: { secret: 's3' },
      },
    );
    rmSync(probe, { recursive: true, force: true });
    expect(html).toBe('[]');
  });

  it('fails for an unknown layout with an error, not a blank page', async () => {
    await expect(
      render(engine, path.join(dir, 'pages/show.hbs'), { title: 'x', layout: 'nope' }),
    ).rejects.toThrow('Unknown layout "nope"');
  });

  it('reports a template syntax error when it is created, not at the first request', () => {
    const broken = viewsFolder({
      'layouts/main.hbs': '{{{body}}}',
      'bad.hbs': '{{#if x}}unclosed',
    });
    expect(() => createViewEngine({ viewsDir: broken, helpers: {} })).toThrow();
    rmSync(broken, { recursive: true, force: true });
  });
});
