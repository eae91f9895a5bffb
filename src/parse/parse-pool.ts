import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { DiscoveredFile } from '../discover/discover.js';
import { parseFile } from './parse-file.js';
import type { ParseAnswer, ParseJob } from './parse-worker.js';
import { referenceParse, type ReferenceFormat, type ReferenceParse } from './reference-parse.js';
import type { SourceDocument } from './types.js';
import { lazyBuiltins } from '../lazy-builtin.js';

/**
 * Parsing with worker threads where it pays. The fast parsers run in the main thread: handing a
 * tree back from a worker (structured clone) costs more than they take to parse. Only the files
 * they decline go to the pool, as text, because the reference parsers (tree-sitter, the yaml
 * library) are ~10× slower per byte than the cloning of their result.
 */

/** Scans of fewer files parse in the main thread: a worker's start-up and parser init outweigh what it could save. */
export const MIN_FILES_FOR_POOL = 50;

/**
 * Declined text the main thread parses itself before workers start (~0.15 s of reference parsing,
 * about what starting a worker and its parser costs): a scan with a few such files is faster
 * without a pool (measured: 158 files, 3 declined, 0.1-0.2 s slower with one).
 */
export const IN_PROCESS_CHARS = 128 * 1024;

/**
 * One worker per core but the main thread's (it reads, fast-parses and takes the trees back), and
 * none on 2 cores or fewer: measured on 2 cores, a scan with the pool took 1.13× as long, the main
 * thread plus V8's GC and compiler threads already use ~1.4 cores, and the workers' start-up, JIT
 * warm-up and cloning add 20-60% CPU. `--jobs N` still asks for N workers anywhere.
 */
export function defaultParseWorkers(cores = availableParallelism()): number {
  return cores > 2 ? cores - 1 : 0;
}

/**
 * The worker module: parse-worker.js beside this module (tsc build), parse-worker.mjs beside the
 * bundle (dist/invokeguard.mjs). Run from the TypeScript sources (jest) a worker cannot load .ts,
 * so the built copy under dist/ is used; undefined when there is none (then no pool).
 */
export function workerEntry(here = import.meta.url): URL | undefined {
  const path = fileURLToPath(here);
  const entry = here.endsWith('.ts')
    ? pathToFileURL(path.replace(/([\\/])src[\\/]parse[\\/]parse-pool\.ts$/, '$1dist$1src$1parse$1parse-worker.js'))
    : new URL(here.endsWith('.mjs') ? './parse-worker.mjs' : './parse-worker.js', here);
  return entry.href !== pathToFileURL(path).href && existsSync(entry) ? entry : undefined;
}

export interface FileParser {
  /** parseFile, with the files the fast paths decline parsed in the pool when there is one. */
  parse(file: DiscoveredFile, displayPath: string, maxBytes?: number, text?: string): Promise<SourceDocument>;
  /** Stops the workers; call when the scan's files are parsed (and on error). */
  close(): Promise<void>;
  /** Workers started so far. */
  readonly workersStarted: number;
}

export interface FileParserOptions {
  /** Files the scan will parse: below MIN_FILES_FOR_POOL no worker is started. */
  files: number;
  /** Worker threads at most (default: defaultParseWorkers()); 0 parses everything in this thread. */
  workers?: number;
  /** The worker module (default: workerEntry()); tests substitute one that delays or crashes. */
  entry?: URL;
  /** Declined text parsed in this thread before the pool starts (default IN_PROCESS_CHARS). */
  inProcessChars?: number;
}

/**
 * The parser of one scan. When the scan is big enough (MIN_FILES_FOR_POOL) and its declined files
 * add up to more than IN_PROCESS_CHARS, the pool starts, and parses the declined files after that.
 */
export function fileParser(options: FileParserOptions): FileParser {
  const workers = options.workers ?? defaultParseWorkers();
  const entry = options.entry ?? (workers > 0 ? workerEntry() : undefined);
  const pool = workers > 0 && options.files >= MIN_FILES_FOR_POOL && entry ? parsePool(workers, entry) : undefined;
  const inProcessChars = options.inProcessChars ?? IN_PROCESS_CHARS;
  let declined = 0;
  const reference: ReferenceParse | undefined =
    pool &&
    ((format, file, text) => {
      if (declined >= inProcessChars) return pool.parse(format, file, text);
      declined += text.length;
      return referenceParse(format, file, text);
    });
  return {
    parse: (file, displayPath, maxBytes, text) => parseFile(file, displayPath, maxBytes, text, reference),
    close: async () => pool?.close(),
    get workersStarted() {
      return pool?.started ?? 0;
    },
  };
}

interface ParsePool {
  parse: ReferenceParse;
  close(): Promise<void>;
  readonly started: number;
}

interface Job extends ParseJob {
  resolve(document: SourceDocument): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** Answered `ready`: its modules loaded. */
  ready: boolean;
  /** Posted and not answered yet, in the order the worker parses them: when it dies, the first is the file it died on. */
  jobs: Job[];
  /** Characters of text in `jobs`: a new job goes to the least loaded worker. */
  load: number;
  /** Why it died (its uncaught error), reported with the exit. */
  failure?: string;
}

/**
 * Up to `size` workers, each started when a job finds every running one busy. Jobs are posted at
 * once (the main thread may not return to the event loop for a while: a worker with nothing
 * queued would idle); answers come back by job id and the caller keeps each result at its
 * file's index, so output order never depends on which worker is faster.
 */
function parsePool(size: number, entry: URL): ParsePool {
  const slots: Slot[] = [];
  let nextId = 0;
  let started = 0;
  let closed = false;
  // A worker that died before loading its modules cannot work in this installation: parse here instead.
  let broken = false;

  const inProcess = (job: Job) => void referenceParse(job.format, job.file, job.text).then(job.resolve, job.reject);

  function spawn(): Slot {
    const slot: Slot = { worker: new (lazyBuiltins.workerThreads().Worker)(entry), ready: false, jobs: [], load: 0 };
    started++;
    slots.push(slot);
    slot.worker.on('message', (answer: ParseAnswer) => {
      if ('ready' in answer) slot.ready = true;
      else {
        const job = answered(slot, slot.jobs.findIndex((j) => j.id === answer.id));
        if ('error' in answer) job?.reject(new Error(answer.error));
        else job?.resolve(answer.document as SourceDocument);
      }
    });
    // An answer that could not be deserialized: that job fails, the worker goes on.
    slot.worker.on('messageerror', (error) => {
      answered(slot, 0)?.reject(new Error(`parse worker answer unreadable (${error.message})`));
    });
    slot.worker.on('error', (error) => {
      slot.failure = error.message;
    });
    slot.worker.on('exit', (code) => {
      slots.splice(slots.indexOf(slot), 1);
      const [current, ...waiting] = slot.jobs.splice(0);
      if (closed) return [current, ...waiting].forEach((job) => job?.reject(new Error('parse pool closed')));
      if (!slot.ready) {
        broken = true;
        for (const job of [current, ...waiting]) if (job) inProcess(job);
        return;
      }
      // Answers posted before a worker dies arrive before its exit: the first unanswered job is
      // the file it died on (that file's IG901, through parseFile's catch); the others go elsewhere.
      current?.reject(new Error(`parse worker stopped: ${slot.failure ?? `exit code ${code}`}`));
      for (const job of waiting) dispatch(job);
    });
    return slot;
  }

  function answered(slot: Slot, index: number): Job | undefined {
    if (index < 0 || index >= slot.jobs.length) return undefined;
    const [job] = slot.jobs.splice(index, 1);
    slot.load -= job.text.length;
    // An idle worker never keeps the process alive; a busy one must, or an awaited parse would be dropped.
    if (slot.jobs.length === 0) slot.worker.unref();
    return job;
  }

  function dispatch(job: Job): void {
    if (closed || broken) return inProcess(job);
    const idle = slots.find((s) => s.jobs.length === 0);
    const slot = idle ?? (slots.length < size ? spawn() : slots.reduce((a, b) => (b.load < a.load ? b : a)));
    slot.jobs.push(job);
    slot.load += job.text.length;
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, format: job.format, file: job.file, text: job.text } satisfies ParseJob);
  }

  return {
    parse(format: ReferenceFormat, file: string, text: string): Promise<SourceDocument> {
      return new Promise((resolve, reject) => dispatch({ id: nextId++, format, file, text, resolve, reject }));
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
    get started() {
      return started;
    },
  };
}
