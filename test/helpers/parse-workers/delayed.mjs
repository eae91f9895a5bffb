// A parse worker for tests (parse-pool.test.ts): the built reference parser, answers posted after a
// random delay, so they come back out of order within a worker and across workers.
import { parentPort } from 'node:worker_threads';
import { referenceParse } from '../../../dist/src/parse/reference-parse.js';

parentPort.on('message', (job) => {
  referenceParse(job.format, job.file, job.text).then(
    (document) => setTimeout(() => parentPort.postMessage({ id: job.id, document }), Math.random() * 15),
    (error) => parentPort.postMessage({ id: job.id, error: error.message }),
  );
});
parentPort.postMessage({ ready: true });
