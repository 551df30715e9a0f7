// `npm start`'s prestart: compiles src/ into dist/ only when the sources (or the TypeScript
// configuration) changed since the last build, which saves a start the ~12 s of `tsc`.
// The first start on a fresh machine, or after a checkout, pull or edit, still builds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/paths';
import { needsBuild, sourcesDigest, type SourceFile } from './support/build-stamp';

const STAMP = path.join(ROOT, 'dist', '.sources-digest');
const ENTRY = path.join(ROOT, 'dist', 'server.js');
// The lock file too: a new TypeScript or type package may compile the same sources otherwise.
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(rel) : entry.isFile() ? [rel] : [];
  });
}

const sources: SourceFile[] = [...filesUnder('src'), ...CONFIGS].map((rel) => ({
  path: rel.split(path.sep).join('/'),
  content: readFileSync(path.join(ROOT, rel)),
}));
const digest = sourcesDigest(sources);
const stamp = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : null;

if (needsBuild({ digest, stamp, entryExists: existsSync(ENTRY) })) {
  process.stdout.write('Compiling TypeScript into dist/ (the sources changed)…\n');
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  // Written only after a successful build: a failed one is tried again at the next start.
  writeFileSync(STAMP, `${digest}\n`);
} else {
  process.stdout.write('dist/ is up to date with src/: not compiling.\n');
}
