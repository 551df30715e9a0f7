import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/paths';

/**
 * The layering rules of STYLE.md, checked on the import lines of every file in src/ (reading
 * files, no server). One table here replaces a tangle of overlapping lint globs.
 */
const SRC = path.join(ROOT, 'src');
const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).replace(/\\/g, '/'));

function importsOf(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  return [...source.matchAll(/^(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1] ?? '',
  );
}

/** The source file an import names, if it is one of ours (relative, .ts or a folder's index.ts). */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return [`${base}.ts`, `${base}/index.ts`].find((f) => files.includes(f)) ?? null;
}

/** Every cycle of imports among our files, each as the files around it (type imports too). */
function importCycles(): string[][] {
  const edges = new Map(
    files.map((f) => [
      f,
      importsOf(f)
        .map((i) => resolveImport(f, i))
        .filter((t): t is string => t !== null),
    ]),
  );
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) return void cycles.push([...trail.slice(at), file]);
    if (done.has(file)) return;
    for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return cycles;
}

const isModelOrRepository = (f: string) => /\.(model|repository)\.ts$/.test(f);
const isHttpEdge = (f: string) =>
  /\.(api|pages)\.ts$/.test(f) || f === 'src/app.ts' || f.startsWith('src/shared/http/');

describe('architecture', () => {
  it('finds the source files', () => {
    expect(files).toContain('src/app.ts');
  });

  it('has no import cycles: each module can be read, and changed, after what it uses', () => {
    expect(importCycles()).toEqual([]);
  });

  it.each(files)('%s imports mongoose only if it is a model, a repository or shared/db', (file) => {
    if (isModelOrRepository(file) || file.startsWith('src/shared/db/')) return;
    expect(importsOf(file)).not.toContain('mongoose');
  });

  it.each(files)('%s imports express only if it is an HTTP edge', (file) => {
    if (isHttpEdge(file)) return;
    expect(importsOf(file)).not.toContain('express');
  });

  it.each(files.filter((f) => f.startsWith('src/shared/')))(
    '%s never imports features/',
    (file) => {
      expect(importsOf(file).filter((i) => i.includes('features/'))).toEqual([]);
    },
  );

  it.each(files.filter((f) => f.startsWith('src/features/')))(
    '%s enters another feature only through its index.ts',
    (file) => {
      const deep = importsOf(file).filter((i) => /^\.\.\/(?!\.\.)[^/]+\/.+/.test(i));
      expect(deep).toEqual([]);
    },
  );

  it.each(files.filter((f) => !f.startsWith('src/features/') && f !== 'src/paths.ts'))(
    '%s imports a feature only through its index.ts',
    (file) => {
      const deep = importsOf(file).filter((i) => /features\/[^/]+\/.+/.test(i));
      expect(deep).toEqual([]);
    },
  );
});
