/**
 * When an invitation was used must not be readable from the database (DESIGN.md: an invitation
 * records only whether it has been used). Written in the request that stored the answer, the
 * mark would sit beside the answer's insert in the server's operation log or a change stream,
 * and pair the address with the response. So in anonymous rounds taking answers by link, marks
 * wait here and are written later, several of a round at once in shuffled order: a batch says
 * that these addresses answered in the last while, not which response is whose.
 *
 * Until written, a mark lives only in this process: the coach's counts and the reminders of
 * this process include it, another instance learns of it when it is written, and a crash loses
 * it (the invitee then counts as not answered and may get a reminder). README, Security.
 */
export type UsedMarksOptions = Readonly<{
  /** Writes the marks of one round, in the order given. */
  write: (roundId: string, ids: readonly string[]) => Promise<void>;
  clock: () => Date;
  /** A round's marks are written once its oldest has waited this long and there are `batch`… */
  waitMs: number;
  batch: number;
  /** …or, fewer than `batch`, once the oldest has waited this long. */
  maxWaitMs: number;
  /** For the shuffle (tests pass a seeded one). */
  random?: () => number;
  onError: (err: unknown) => void;
}>;

type Pending = { ids: Set<string>; since: number };

export function createUsedMarks(options: UsedMarksOptions) {
  const random = options.random ?? Math.random;
  const pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | null = null;

  const isDue = (p: Pending, now: number) =>
    now - p.since >= (p.ids.size >= options.batch ? options.waitMs : options.maxWaitMs);

  function shuffled(ids: Iterable<string>): string[] {
    const list = [...ids];
    for (let i = list.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  }

  async function writeRound(roundId: string): Promise<void> {
    const p = pending.get(roundId);
    if (!p) return;
    pending.delete(roundId);
    try {
      await options.write(roundId, shuffled(p.ids));
    } catch (err) {
      // Kept for the next try; marks added meanwhile join them.
      const now = pending.get(roundId);
      pending.set(roundId, { ids: new Set([...p.ids, ...(now?.ids ?? [])]), since: p.since });
      throw err;
    }
  }

  /** Writes every round whose marks are due; the timer calls it, tests may too. */
  async function writeDue(): Promise<void> {
    const now = options.clock().getTime();
    const due = [...pending].filter(([, p]) => isDue(p, now)).map(([roundId]) => roundId);
    for (const roundId of due) await writeRound(roundId);
  }

  /** Checks again in a minute while anything waits; the timer never holds the process open. */
  function arm(): void {
    if (timer || pending.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      writeDue().then(arm, (err: unknown) => {
        options.onError(err);
        arm();
      });
    }, 60_000);
    timer.unref();
  }

  return {
    /** The invitation was used to answer: marked later (see above). */
    add(roundId: string, id: string): void {
      const p = pending.get(roundId);
      if (p) p.ids.add(id);
      else pending.set(roundId, { ids: new Set([id]), since: options.clock().getTime() });
      arm();
    },

    /** The marks of the round not written yet. */
    of(roundId: string): ReadonlySet<string> {
      return pending.get(roundId)?.ids ?? new Set();
    },

    writeDue,

    /** Writes everything that waits, due or not: at shutdown (a batch then may be small). */
    async writeAll(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const roundId of [...pending.keys()]) await writeRound(roundId);
    },
  };
}

export type UsedMarks = ReturnType<typeof createUsedMarks>;
