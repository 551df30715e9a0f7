import { needsBuild, sourcesDigest } from '../../../scripts/support/build-stamp';

const files = [
  { path: 'src/server.ts', content: 'listen()' },
  { path: 'src/app.ts', content: 'createApp()' },
  { path: 'tsconfig.json', content: '{}' },
];
const digest = sourcesDigest(files);

describe('the sources digest', () => {
  it('does not depend on the order the files were listed in', () => {
    expect(sourcesDigest([...files].reverse())).toBe(digest);
  });

  it.each([
    ['an edited file', files.map((f, i) => (i === 0 ? { ...f, content: 'listen(1)' } : f))],
    ['a deleted file', files.slice(1)],
    ['an added file', [...files, { path: 'src/new.ts', content: '' }]],
    ['a renamed file', files.map((f, i) => (i === 1 ? { ...f, path: 'src/app2.ts' } : f))],
    [
      'a changed configuration',
      files.map((f) => (f.path === 'tsconfig.json' ? { ...f, content: '{ }' } : f)),
    ],
    [
      'content moved across the path boundary',
      files.map((f, i) => (i === 0 ? { path: 'src/server.tsl', content: 'isten()' } : f)),
    ],
  ])('changes with %s', (_what, changed) => {
    expect(sourcesDigest(changed)).not.toBe(digest);
  });

  it('reads bytes and text alike', () => {
    expect(
      sourcesDigest(files.map((f) => ({ ...f, content: new TextEncoder().encode(f.content) }))),
    ).toBe(digest);
  });
});

describe('whether to build', () => {
  it('builds when nothing was built yet', () => {
    expect(needsBuild({ digest, stamp: null, entryExists: false })).toBe(true);
  });

  it('builds when dist/ was built without a stamp (by `npm run build`) or from other sources', () => {
    expect(needsBuild({ digest, stamp: null, entryExists: true })).toBe(true);
    expect(needsBuild({ digest, stamp: 'other\n', entryExists: true })).toBe(true);
  });

  it('builds when the stamp is there but the entry point was deleted', () => {
    expect(needsBuild({ digest, stamp: `${digest}\n`, entryExists: false })).toBe(true);
  });

  it('does not build when dist/ was built from these very sources', () => {
    expect(needsBuild({ digest, stamp: `${digest}\n`, entryExists: true })).toBe(false);
  });
});
