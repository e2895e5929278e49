/**
 * Progress of a long job (a big send, a redrive): on a terminal, one bar redrawn in place;
 * anywhere else (a pipe, a CI log), plain lines at each tenth, so a log stays short and
 * readable. Completion is reported by the caller's own final line.
 */

/** A terminal to draw on (process.stdout when it is a TTY). */
export interface Terminal {
  write(text: string): void;
  columns?: number;
}

export interface Progress {
  /** `done` out of `total` (a total that grows, as a move task's estimate, may be passed again). */
  update(done: number, total?: number): void;
  /** Draw the last state and end the bar's line. */
  finish(): void;
}

export interface ProgressOptions {
  /** What is counted, e.g. "sent" or "moved". */
  label: string;
  total: number;
  /** Draw a bar here; without it, plain lines go to `print`. */
  tty?: Terminal;
  print: (line: string) => void;
  now?: () => number;
}

/** A progress reporter: a bar on a terminal, or a line at each 10 % step. */
export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  let total = opts.total;
  let done = 0;
  let lastDraw = -Infinity;
  let drawn = "";
  let lastStep = 0;
  let finished = false;

  const draw = () => {
    const tty = opts.tty;
    if (!tty) return;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? `  ${Math.round(done / seconds)}/s` : "";
    const width = Math.max(10, Math.min(40, (tty.columns ?? 80) - opts.label.length - 40));
    const filled = Math.round(ratio * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${opts.label} ${done}/${total}`;
    lastDraw = now();
    if (bar === drawn) return;
    drawn = bar;
    // \r back to the line's start, \x1b[K clears what a longer previous text left behind.
    tty.write(`\r${bar} (${Math.floor(ratio * 100)}%)${rate}\x1b[K`);
  };

  return {
    update(n, newTotal) {
      if (finished) return;
      done = n;
      if (newTotal !== undefined) total = newTotal;
      if (opts.tty) {
        // At most ten redraws a second: a fast job must not flood a slow terminal.
        if (now() - lastDraw >= 100 || done >= total) draw();
        return;
      }
      const step = total > 0 ? Math.floor((Math.min(done, total) / total) * 10) : 10;
      if (step > lastStep && step < 10) {
        lastStep = step;
        opts.print(`${opts.label} ${done}/${total} (${Math.floor((done / total) * 100)}%)`);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      if (opts.tty) {
        draw();
        opts.tty.write("\n");
      }
    },
  };
}
