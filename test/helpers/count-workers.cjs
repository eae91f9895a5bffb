// Preloaded (node --require) by CLI tests: counts the worker threads the process starts and
// prints the count on stderr at exit, so a test can tell that a built entry point used its pool.
const threads = require('node:worker_threads');
const { syncBuiltinESMExports } = require('node:module');

if (threads.isMainThread) {
  let started = 0;
  const Original = threads.Worker;
  threads.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      started++;
    }
  };
  syncBuiltinESMExports();
  process.on('exit', () => process.stderr.write(`workers started: ${started}\n`));
}
