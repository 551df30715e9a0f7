import { spawn } from 'node:child_process';
import path from 'node:path';

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
