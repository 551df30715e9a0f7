import { Writable } from 'node:stream';
import { createLogger } from '../../src/shared/logging';

/** A logger whose JSON lines are collected in memory, for tests of what is logged. */
export function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}
