// Whether dist/ was compiled from the sources as they are now: the digest of every source
// file's path and content, kept beside the build. Content, not modification times: a checkout,
// a copy that keeps old times or a clock that jumps would fool a comparison of mtimes, and a
// deleted or renamed file changes the digest too.
import { createHash } from 'node:crypto';

export type SourceFile = Readonly<{ path: string; content: string | Uint8Array }>;

/** One digest for a set of files, whatever order they were listed in. */
export function sourcesDigest(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    // Lengths first, so that no path and content can be split another way into the same bytes.
    const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    hash.update(`${Buffer.byteLength(file.path)}:${file.path}:${content.length}:`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** A build is needed unless its entry point exists and was built from this very digest. */
export function needsBuild(state: {
  digest: string;
  stamp: string | null;
  entryExists: boolean;
}): boolean {
  return !state.entryExists || state.stamp?.trim() !== state.digest;
}
