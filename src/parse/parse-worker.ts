import { parentPort } from 'node:worker_threads';
import { referenceParse, type ReferenceFormat } from './reference-parse.js';

/**
 * A parse pool worker (parse-pool.ts): runs the reference parsers on texts the main thread sends,
 * in the order posted, and posts each document back by job id. It parses, never evaluates: nothing
 * from a scanned file is executed here either.
 */
export interface ParseJob {
  id: number;
  format: ReferenceFormat;
  file: string;
  text: string;
}

/** `ready` once listening (a worker that dies before it is ready means the pool cannot work here); then one answer per job. */
export type ParseAnswer = { ready: true } | { id: number; document: unknown } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('parse-worker runs in a worker thread');
// One job at a time, in the order posted (tree-sitter's first load is awaited): the pool counts on it.
let previous: Promise<void> = Promise.resolve();
port.on('message', (job: ParseJob) => {
  previous = previous.then(() =>
    referenceParse(job.format, job.file, job.text).then(
      (document) => port.postMessage({ id: job.id, document } satisfies ParseAnswer),
      // parseFile turns the message into the file's IG901, as for a parser error in the main thread.
      (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies ParseAnswer),
    ),
  );
});
port.postMessage({ ready: true } satisfies ParseAnswer);
