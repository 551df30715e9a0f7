import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AssetUrl } from './helpers';

/**
 * Content hashes of every file in public/, computed once at start. Pages link `/css/app.css?v=<hash>`:
 * a changed file gets a new URL, so the browser may cache each URL for a year.
 */
export function createAssetUrls(publicDir: string): AssetUrl {
  const urls = new Map<string, string>();
  for (const entry of readdirSync(publicDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(publicDir, file).replace(/\\/g, '/');
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
    urls.set(relative, `/${relative}?v=${hash}`);
  }
  return (file) => {
    const url = urls.get(file);
    if (!url) throw new Error(`Unknown asset "${file}" (not in public/)`);
    return url;
  };
}
