import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discover } from '../../src/discover/discover.js';
import { mapLimit } from '../../src/map-limit.js';
import { fastPaths } from '../../src/parse/fast-paths.js';
import { defaultParseWorkers, fileParser, IN_PROCESS_CHARS, MIN_FILES_FOR_POOL, workerEntry } from '../../src/parse/parse-pool.js';
import type { SourceDocument } from '../../src/parse/types.js';
import { formatJson } from '../../src/report/json.js';
import { scan } from '../../src/scan.js';
import { writeDeclinedTree } from '../helpers/declined-tree.js';
import { REPO_ROOT } from '../helpers/scan.js';

// Workers load built code (a worker cannot load .ts): `npm test` builds dist/ first. The test
// workers under test/helpers/parse-workers wrap the built reference parser.
const TEST_WORKER = (name: string) => pathToFileURL(join(REPO_ROOT, 'test', 'helpers', 'parse-workers', `${name}.mjs`));

const REALWORLD = join('..', 'shared', 'realworld');
/** A real-world repository (when present): all of it, or a deterministic sample (every `step`-th entry). */
function sample(repo: string, step = 1): string[] {
  const dir = join(REPO_ROOT, REALWORLD, repo);
  if (!existsSync(dir)) return [];
  return step === 1 ? [join(REALWORLD, repo)] : readdirSync(dir).sort().filter((_, i) => i % step === 0).map((f) => join(REALWORLD, repo, f));
}

/** Trees of at least MIN_FILES_FOR_POOL files (a smaller scan starts no worker): ours, then real-world Terraform and CloudFormation. */
const TREES: string[][] = [['examples', 'test/fixtures'], sample('terraform-aws-modules__terraform-aws-lambda'), sample('aws-samples__serverless-patterns', 5)].filter((t) => t.length > 0);
const named = (tree: string[]): [string, string[]] => [tree.length > 2 ? `${tree[0]} and ${tree.length - 1} more` : tree.join(' + '), tree];

interface Parsed {
  documents: SourceDocument[];
  /** File indexes in the order their parse finished. */
  finished: number[];
  started: number;
}

/** Discovers and parses like loadModel (16 files in flight, results by index), with a file parser of these options. */
async function parseTree(paths: string[], options: { workers: number; entry?: URL; root?: string; inProcessChars?: number }): Promise<Parsed> {
  const root = options.root ?? REPO_ROOT;
  const { files } = await discover(paths.map((p) => join(root, p)), root);
  // Every declined file to the pool unless a test says otherwise (the default keeps the first 128 KB in this thread).
  const parser = fileParser({ files: files.length, inProcessChars: 0, ...options });
  const finished: number[] = [];
  try {
    const documents = await mapLimit(
      files.map((file, index) => ({ file, index })),
      16,
      async ({ file, index }) => {
        const document = await parser.parse(file, relative(root, file.path));
        finished.push(index);
        return document;
      },
    );
    return { documents, finished, started: parser.workersStarted };
  } finally {
    await parser.close();
  }
}

async function report(paths: string[], parseWorkers: number): Promise<string> {
  return formatJson(await scan({ paths, cwd: REPO_ROOT, parseWorkers }), { version: 'test', color: false });
}

/** Generated: 62 files, 190 KB, all declined by the fast HCL parser (two named for the crashing worker). */
let declinedDir: string;
beforeAll(() => {
  declinedDir = writeDeclinedTree();
});
afterAll(() => rmSync(declinedDir, { recursive: true, force: true }));

afterEach(() => {
  fastPaths.enabled = true;
});

describe('the parse pool', () => {
  it('runs the built worker when the tests run the TypeScript sources', () => {
    expect(workerEntry()?.pathname).toMatch(/\/dist\/src\/parse\/parse-worker\.js$/);
    expect(workerEntry(pathToFileURL(join(REPO_ROOT, 'dist', 'invokeguard.mjs')).href)?.pathname).toMatch(/\/dist\/parse-worker\.mjs$/);
    expect(workerEntry(pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'parse', 'parse-pool.js')).href)?.pathname).toMatch(/\/dist\/src\/parse\/parse-worker\.js$/);
    // No worker module beside it: no pool (parsing stays in the main thread).
    expect(workerEntry(pathToFileURL(join(tmpdir(), 'elsewhere', 'invokeguard.mjs')).href)).toBeUndefined();
  });

  describe.each([
    ['fast paths on', true],
    ['fast paths off (every HCL and YAML file to the workers)', false],
  ])('%s', (_name, fast) => {
    it.each(TREES.map(named))('%s: the same documents, in the same order, as parsing in the main thread', async (_tree, tree) => {
      fastPaths.enabled = fast;
      const pooled = await parseTree(tree, { workers: 2 });
      const inProcess = await parseTree(tree, { workers: 0 });
      expect(inProcess.started).toBe(0);
      if (!fast) expect(pooled.started).toBeGreaterThan(0);
      expect(pooled.documents).toStrictEqual(inProcess.documents);
    }, 120_000);

    it.each(TREES.map(named))('%s: a byte-identical scan report with and without workers', async (_tree, tree) => {
      fastPaths.enabled = fast;
      const pooled = await report(tree, 2);
      const inProcess = await report(tree, 0);
      expect(JSON.parse(pooled).findings.length).toBeGreaterThan(0);
      expect(pooled).toBe(inProcess);
    }, 120_000);
  });

  it('keeps discovery order when answers come back in random order', async () => {
    fastPaths.enabled = false;
    const shuffled = await parseTree(TREES[0], { workers: 3, entry: TEST_WORKER('delayed') });
    const reference = await parseTree(TREES[0], { workers: 0 });
    expect(shuffled.started).toBe(3);
    // The delays did reorder completion (else this test would prove nothing)...
    expect(shuffled.finished).not.toEqual([...shuffled.finished].sort((a, b) => a - b));
    // ...and the documents are still at their files' places.
    expect(shuffled.documents).toStrictEqual(reference.documents);
  }, 120_000);

  describe('a worker that dies', () => {
    it("is that file's located IG901; the other files parse as in the main thread", async () => {
      const crashed = await parseTree(['.'], { workers: 2, entry: TEST_WORKER('crashing'), root: declinedDir });
      const reference = await parseTree(['.'], { workers: 0, root: declinedDir });
      const at = (file: string) => crashed.documents.findIndex((d) => d.file === file);
      const at1 = (file: string) => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 });
      expect(crashed.documents[at('f20-exit.tf')]).toStrictEqual({
        format: 'unreadable',
        file: 'f20-exit.tf',
        errors: [{ message: 'cannot parse file (parse worker stopped: exit code 7)', range: at1('f20-exit.tf') }],
      });
      expect(crashed.documents[at('f40-throw.tf')]).toStrictEqual({
        format: 'unreadable',
        file: 'f40-throw.tf',
        errors: [{ message: 'cannot parse file (parse worker stopped: injected crash)', range: at1('f40-throw.tf') }],
      });
      // Two crashes, each replaced by a fresh worker.
      expect(crashed.started).toBeGreaterThanOrEqual(3);
      const others = (docs: SourceDocument[]) => docs.filter((d) => !/exit|throw/.test(d.file));
      expect(others(crashed.documents)).toHaveLength(60);
      expect(others(crashed.documents)).toStrictEqual(others(reference.documents));
    }, 60_000);

    it('before it could start: every file parses in the main thread instead', async () => {
      const broken = await parseTree(['.'], { workers: 2, entry: TEST_WORKER('broken'), root: declinedDir });
      const reference = await parseTree(['.'], { workers: 0, root: declinedDir });
      expect(broken.started).toBeGreaterThan(0);
      expect(broken.documents).toStrictEqual(reference.documents);
      expect(broken.documents.every((d) => d.errors.length === 0)).toBe(true);
    }, 60_000);
  });

  it(`starts workers only when the declined files add up to more than ${IN_PROCESS_CHARS / 1024} KB`, async () => {
    // Three files of examples + test/fixtures are declined, a few KB; the generated tree's 62 add up to 190 KB.
    const few = await parseTree(TREES[0], { workers: 2, inProcessChars: IN_PROCESS_CHARS });
    expect(few.started).toBe(0);
    const many = await parseTree(['.'], { workers: 2, root: declinedDir, inProcessChars: IN_PROCESS_CHARS });
    expect(many.started).toBeGreaterThan(0);
    expect(many.documents.every((d) => d.errors.length === 0)).toBe(true);
  }, 60_000);

  it('by default, leaves the main thread a core, and parses in it alone on 2 cores or fewer (measured: no gain there)', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultParseWorkers(cores))).toEqual([0, 0, 2, 3, 15]);
  });

  it(`starts no worker for a scan of fewer than ${MIN_FILES_FOR_POOL} files, even for files only a reference parser reads`, async () => {
    fastPaths.enabled = false;
    const one = await parseTree(['examples/terraform/vulnerable/main.tf'], { workers: 2 });
    expect(one.documents).toHaveLength(1);
    expect(one.documents[0].format).toBe('terraform-hcl');
    expect(one.started).toBe(0);
    const small = await parseTree(['examples'], { workers: 2 });
    expect(small.documents.length).toBeLessThan(MIN_FILES_FOR_POOL);
    expect(small.started).toBe(0);
  });
});
