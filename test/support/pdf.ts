import { spawn } from 'node:child_process';
import path from 'node:path';
import { createPdfRenderer, type PdfRenderer } from '../../src/shared/pdf';

/** The PDF renderers this test file made: jest-setup.ts closes them after the file. */
const renderers: PdfRenderer[] = [];

/** A PDF renderer whose Chromium (if it starts one) is closed after the test file. */
export function testPdfRenderer(options: Parameters<typeof createPdfRenderer>[0]): PdfRenderer {
  const renderer = createPdfRenderer(options);
  renderers.push(renderer);
  return renderer;
}

export async function closeTestPdfRenderers(): Promise<void> {
  await Promise.all(renderers.splice(0).map((renderer) => renderer.close()));
}

/** The text of a PDF (pages joined by newlines), extracted with pdf.js in a child process. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const child = spawn(process.execPath, [path.join(__dirname, 'pdf-text.mjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.end(pdf);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`pdf text extraction failed (${String(code)}): ${err}`);
  return out;
}
