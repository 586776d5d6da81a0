import { AtomicWriteQueue, type WriteRefusedError } from '../util/write-atomic.js';
import type { Site } from './types.js';

/** One file's planned rewrite, waiting to be written. */
export interface PlannedWrite {
  absolute: string;
  /** The report's path (relative, `/`-separated). */
  file: string;
  /** The text the plan was computed from (the file must still hold it). */
  before: string;
  after: string;
  /** The rewrite sites whose edits the new text holds. */
  sites: readonly Site[];
}

/**
 * Planned rewrites written as they are planned (src/util/write-atomic.ts `AtomicWriteQueue`): each file's disk
 * waits overlap the planning of the next files. `push` starts a file, `pace` lets the writes in flight take
 * their next step (call it between files), `flush` waits for every file pushed so far and returns how many
 * were written and, in push order, those refused with why (a refused file is left as it was).
 */
export class PlannedWrites {
  private readonly queue = new AtomicWriteQueue();
  private pushed: PlannedWrite[] = [];

  push(write: PlannedWrite): void {
    this.pushed.push(write);
    this.queue.add({ path: write.absolute, text: write.after, display: write.file, original: write.before });
  }

  pace(): Promise<void> {
    return this.queue.pace();
  }

  async flush(): Promise<{ written: number; refused: { write: PlannedWrite; error: WriteRefusedError }[] }> {
    const writes = this.pushed;
    this.pushed = [];
    const outcomes = await this.queue.drain();
    const refused: { write: PlannedWrite; error: WriteRefusedError }[] = [];
    outcomes.forEach((error, index) => {
      if (error) refused.push({ write: writes[index], error });
    });
    return { written: writes.length - refused.length, refused };
  }
}
