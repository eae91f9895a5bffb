import { afterAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnalyzer } from '../helpers/fake-access-analyzer.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/**
 * Preloaded into the CLI process: logs every socket connect and every module load from the AWS
 * SDK to a file, so the test sees what a real run does, not what a mock allows.
 */
const WATCH = `
import net from 'node:net';
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
const log = process.env.IG_WATCH_LOG;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  appendFileSync(log, 'connect ' + (typeof target === 'object' ? (target.port ?? target.path) : target) + '\\n');
  return connect.apply(this, args);
};
register('./hooks.mjs', import.meta.url, { data: { log } });
`;
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes('@aws-sdk')) appendFileSync(log, 'load ' + result.url + '\\n');
  return result;
}
`;

const watch = tempTree({ 'watch.mjs': WATCH, 'hooks.mjs': HOOKS });
const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function runWatched(args: string[], env: NodeJS.ProcessEnv, log: string): Promise<{ code: number | null; stderr: string; events: string[] }> {
  const bin = join(REPO_ROOT, 'dist/src/cli/main.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', join(watch, 'watch.mjs'), bin, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, IG_WATCH_LOG: log, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr, events: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] }));
  });
}

test('without --access-analyzer (and without credentials) no socket is opened and the AWS SDK is never loaded', async () => {
  const log = join(watch, 'offline.log');
  const run = await runWatched(['examples', '--no-cache'], {}, log);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe('');
  expect(run.events).toEqual([]);
}, 20000);

test('the same watch sees the socket and the SDK when --access-analyzer is on (the check above can fail)', async () => {
  const server = await startFakeAnalyzer();
  servers.push(server);
  const log = join(watch, 'online.log');
  const port = new URL(server.endpoint).port;
  const run = await runWatched(
    ['examples/iam/vulnerable', '--access-analyzer', '--region', 'us-east-1', '--endpoint-url', server.endpoint, '--no-cache'],
    { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
    log,
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  expect(run.events).toContain(`connect ${port}`);
  expect(run.events.some((e) => e.startsWith('load ') && e.includes('client-accessanalyzer'))).toBe(true);
  expect(server.requests.length).toBeGreaterThan(0);
}, 20000);
