// A parse worker for tests (parse-pool.test.ts): the built reference parser, one job at a time like
// the real worker, except that it dies on a file named *exit* (process.exit) or *throw* (an
// uncaught exception) when it comes to parse it.
import { parentPort } from 'node:worker_threads';
import { referenceParse } from '../../../dist/src/parse/reference-parse.js';

let previous = Promise.resolve();
parentPort.on('message', (job) => {
  previous = previous.then(async () => {
    if (job.file.includes('exit')) process.exit(7);
    if (job.file.includes('throw')) {
      setImmediate(() => {
        throw new Error('injected crash');
      });
      await new Promise(() => {});
    }
    parentPort.postMessage({ id: job.id, document: await referenceParse(job.format, job.file, job.text) });
  });
});
parentPort.postMessage({ ready: true });
