/** Small helpers to assert on rendered HTML without a DOM library. */

/** All matches of `pattern` in `html` (global flag added). */
export function all(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].map(
    (m) => m[0],
  );
}

/** The HTML of the element with the given id, up to its matching closing tag. */
export function elementById(html: string, id: string): string {
  const start = html.search(new RegExp(`<(\\w+)[^>]*\\sid="${id}"`));
  if (start < 0) throw new Error(`no element with id "${id}"`);
  const tag = /^<(\w+)/.exec(html.slice(start))?.[1] ?? '';
  let depth = 0;
  const re = new RegExp(`<${tag}\\b|</${tag}>`, 'g');
  re.lastIndex = start;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error(`unclosed element with id "${id}"`);
}

/** Text as Handlebars escaped it (`{{…}}`), back as it was. */
export function unescapeHtml(html: string): string {
  const entities: Record<string, string> = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&#x27;': "'",
    '&#x60;': '`',
    '&#x3D;': '=',
  };
  return html.replace(/&(?:amp|lt|gt|quot|#x27|#x60|#x3D);/g, (e) => entities[e]!);
}
