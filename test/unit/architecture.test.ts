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

const isModelOrRepository = (f: string) => /\.(model|repository)\.ts$/.test(f);
const isHttpEdge = (f: string) =>
  /\.(api|pages)\.ts$/.test(f) || f === 'src/app.ts' || f.startsWith('src/shared/http/');

describe('architecture', () => {
  it('finds the source files', () => {
    expect(files).toContain('src/app.ts');
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
