// Processes as Linux shows them in /proc: for the PDF tests (which Chromium belongs to this
// process) and the PDF benchmark (the memory of a server with its browsers).
import { readdirSync, readFileSync } from 'node:fs';

export type ProcessInfo = Readonly<{
  pid: number;
  ppid: number;
  /** The executable's name as the kernel keeps it (`comm`), e.g. `chromium`, `node`. */
  command: string;
  /** R, S, D, Z (a zombie: ended, not yet reaped by its parent), … */
  state: string;
}>;

/** Every process at this moment; processes that end meanwhile are left out. */
export function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // "pid (comm) state ppid …": comm may hold spaces and parentheses itself.
        const close = stat.lastIndexOf(')');
        const [state = '', ppid = ''] = stat.slice(close + 2).split(' ');
        return [
          {
            pid: Number(name),
            ppid: Number(ppid),
            command: stat.slice(stat.indexOf('(') + 1, close),
            state,
          },
        ];
      } catch {
        return [];
      }
    });
}

/** The processes started by `pid`, by the ones it started, and so on. */
export function descendantsOf(pid: number, all = allProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = all.filter((p) => parents.has(p.ppid));
    found.push(...children);
    parents = new Set(children.map((p) => p.pid));
  }
  return found;
}

/**
 * A process's memory in kB: `rss` (resident; pages shared with other processes count in each
 * of them) from /proc/<pid>/status, or `pss` (each shared page divided among its sharers),
 * from smaps_rollup, which costs about a millisecond a process to read. 0 once it has ended.
 */
export function memoryKb(pid: number, kind: 'rss' | 'pss'): number {
  const [file, field] =
    kind === 'rss' ? ['status', /^VmRSS:\s+(\d+) kB/m] : ['smaps_rollup', /^Pss:\s+(\d+) kB/m];
  try {
    return Number(field.exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
