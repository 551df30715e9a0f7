// Prints the text of the PDF read from stdin, one page per line. Run as a child process by
// test/support/pdf.ts: pdfjs-dist is ESM only, which Jest's CommonJS runtime cannot import.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Uint8Array(chunks.reduce((size, c) => size + c.length, 0));
chunks.reduce((offset, c) => (data.set(c, offset), offset + c.length), 0);
const pdf = await getDocument({ data, isEvalSupported: false, useSystemFonts: false }).promise;
for (let n = 1; n <= pdf.numPages; n += 1) {
  const content = await (await pdf.getPage(n)).getTextContent();
  process.stdout.write(`${content.items.map((item) => item.str ?? '').join(' ')}\n`);
}
