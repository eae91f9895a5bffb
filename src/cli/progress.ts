/** Erase the current terminal line: carriage return, then "erase in line". */
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressOptions {
  /** Scans smaller than this finish before progress would help: nothing is shown. */
  minFiles?: number;
  /** At most one redraw per interval (the last file always redraws). */
  intervalMs?: number;
  now?: () => number;
}

export interface ProgressReporter {
  update(done: number, total: number): void;
  /** Clears the line if anything was drawn. */
  finish(): void;
}

/** "files parsed / total" on one self-overwriting terminal line; the caller decides it is a TTY. */
export function progressReporter(write: (text: string) => void, options: ProgressOptions = {}): ProgressReporter {
  const { minFiles = 50, intervalMs = 100, now = Date.now } = options;
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      if (total < minFiles) return;
      const time = now();
      if (time - last < intervalMs && done !== total) return;
      last = time;
      shown = true;
      write(`${CLEAR_LINE}invokeguard: parsed ${done}/${total} files`);
    },
    finish() {
      if (shown) write(CLEAR_LINE);
      shown = false;
    },
  };
}
