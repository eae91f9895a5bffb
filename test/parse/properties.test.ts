import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadActionCatalog, type ActionCatalog } from '../../src/iam/action-catalog.js';
import { buildModel } from '../../src/model/build-model.js';
import { parseText } from '../../src/parse/parse-file.js';
import type { FileFormat } from '../../src/parse/types.js';
import { RULES } from '../../src/rules/registry.js';
import { runRules } from '../../src/rules/run-rules.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { mutate, mutationFrom, propertyParameters } from '../helpers/property.js';

/**
 * Property tests for every parser and the evaluators behind the model: random and mutated inputs
 * never throw out of parsing, model building (where Terraform and CloudFormation values are
 * evaluated) or any rule, finish within a time bound, and every input error is located inside
 * the file. (The fast HCL and YAML paths have their own differential tests beside this one.)
 */
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const RUNS = 1000;

function seeds(suffix: string): string[] {
  return readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
}

/** A fixture with a few characters deleted, inserted (structural ones mostly) or duplicated. */
function mutated(texts: string[]): fc.Arbitrary<string> {
  const mutation = mutationFrom('{}[]()"\',:=$#\\\n -*!&|>ax1\u00e9');
  return fc.tuple(fc.constantFrom(...texts), fc.array(mutation, { minLength: 1, maxLength: 5 })).map(([seed, mutations]) => mutate(seed, mutations, 3));
}

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog(['lambda', 'iam', 's3', 'sts']);
});

const PARSERS: Array<{ name: string; format: FileFormat; file: string; suffix: string; random: fc.Arbitrary<string> }> = [
  { name: 'Terraform HCL', format: 'terraform-hcl', file: 'main.tf', suffix: '.tf', random: fc.string({ maxLength: 200 }) },
  { name: 'Terraform JSON (tf.json)', format: 'terraform-json', file: 'main.tf.json', suffix: '.tf.json', random: fc.json({ maxDepth: 4 }) },
  { name: 'plan JSON', format: 'terraform-plan', file: 'tfplan.json', suffix: '.plan.json', random: fc.json({ maxDepth: 4 }) },
  { name: 'CloudFormation YAML', format: 'cloudformation', file: 'template.yaml', suffix: '.cfn.yaml', random: fc.string({ maxLength: 200 }) },
  { name: 'CloudFormation JSON', format: 'cloudformation', file: 'template.json', suffix: '.cfn.json', random: fc.json({ maxDepth: 4 }).map((j) => `{"Resources": ${j}}`) },
  { name: 'IAM policy JSON', format: 'iam-json', file: 'policy.json', suffix: '.iam.json', random: fc.json({ maxDepth: 4 }).map((j) => `{"Statement": ${j}}`) },
];

describe.each(PARSERS)('$name: random and mutated input', ({ format, file, suffix, random }) => {
  it(`never throws through parse → model → rules, stays fast, and locates every error (${RUNS} cases)`, async () => {
    const inputs = seeds(suffix);
    expect(inputs.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: mutated(inputs), weight: 4 }, { arbitrary: random, weight: 1 }), async (text) => {
        // CPU time, not wall time: a loaded machine (CI neighbours, parallel suites) stretches wall time, not the work done.
        const started = process.cpuUsage();
        const document = await parseText(format, file, text);
        const model = buildModel([document]);
        const { errors: ruleErrors } = runRules(RULES, { model, catalog });
        expect(ruleErrors).toEqual([]);
        const spent = process.cpuUsage(started);
        expect((spent.user + spent.system) / 1000).toBeLessThan(2000);
        const lines = text.split('\n').length;
        for (const error of [...document.errors, ...model.errors]) {
          expect(error.range.line).toBeGreaterThanOrEqual(1);
          expect(error.range.line).toBeLessThanOrEqual(lines);
          expect(error.range.column).toBeGreaterThanOrEqual(1);
        }
      }),
      propertyParameters(RUNS),
    );
  }, 60_000);
});
