import { describe, expect, it } from '@jest/globals';
import { functionPolicies } from '../../src/analyzer/lambda-policy.js';
import { invokerGraph } from '../../src/graph/invokers.js';
import { loadModel, scan } from '../../src/scan.js';
import { REPO_ROOT } from '../helpers/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

/** Alexa grants are pinned by the skill id (event source token) alone: IG102 reports one without it, and never asks for a source account or ARN. */
describe('Alexa skill grants (IG102)', () => {
  it('reports a grant without the skill id at the principal, with a by-hand fix that names the token, in each format', async () => {
    const { findings } = await scan({ paths: ['test/fixtures/IG102/fail.tf', 'test/fixtures/IG102/fail.cfn.yaml', 'test/fixtures/sam/alexa.cfn.yaml'], cwd: REPO_ROOT });
    const alexa = findings.filter((f) => f.ruleId === 'IG102' && /Alexa/.test(f.message));
    expect(alexa.map((f) => [f.resource, f.range.line, f.severity, f.message])).toEqual([
      ['AlexaAnySkill', 47, 'high', 'AlexaAnySkill lets any Alexa skill (alexa-appkit.amazon.com) invoke Thumbnails: it has no event source token (the skill id).'],
      [
        'SmartHomeAccountOnly',
        53,
        'high',
        'SmartHomeAccountOnly lets any Alexa skill (alexa-connectedhome.amazon.com) invoke Thumbnails: it has no event source token (the skill id); a source account or ARN does not pin an Alexa grant.',
      ],
      ['aws_lambda_permission.alexa_any_skill', 29, 'high', 'aws_lambda_permission.alexa_any_skill lets any Alexa skill (alexa-appkit.amazon.com) invoke orders: it has no event source token (the skill id).'],
      [
        'aws_lambda_permission.smart_home_account_only',
        36,
        'high',
        'aws_lambda_permission.smart_home_account_only lets any Alexa skill (alexa-connectedhome.amazon.com) invoke orders: it has no event source token (the skill id); a source account or ARN does not pin an Alexa grant.',
      ],
      ['AnySkill', 12, 'high', 'AnySkill lets any Alexa skill (alexa-appkit.amazon.com) invoke AnySkill: it has no event source token (the skill id).'],
    ]);
    // Findings come in file order: IG102/fail.cfn.yaml, IG102/fail.tf, sam/alexa.cfn.yaml.
    // The skill id is not in the scan: nothing is written, and no source account / ARN is proposed in its place.
    for (const f of alexa) {
      expect(f.fix?.edits).toEqual([]);
      expect(f.fix?.description).toMatch(/Not applied by --fix: the skill id is not in the scan\.$/);
      expect(`${f.suggestion} ${f.fix?.description}`).not.toMatch(/(Add|Set) (source_account|source_arn|SourceAccount|SourceArn)/);
    }
    expect(alexa.map((f) => f.fix?.description.replace(/ Not applied.*/, ''))).toEqual([
      'Add EventSourceToken with the id of the skill that calls the function.',
      'Add EventSourceToken with the id of the skill that calls the function.',
      'Add event_source_token with the id of the skill that calls the function.',
      'Add event_source_token with the id of the skill that calls the function.',
      "Add SkillId (the skill id) to the AlexaSkill event's Properties in AnySkill.",
    ]);
    expect(alexa[0].suggestion).toBe('Set EventSourceToken to the id of the skill that calls the function (amzn1.ask.skill.…); a source account or source ARN does not pin an Alexa grant.');
  });

  it('reads lambda:EventSourceToken in a resource policy file as the skill id', async () => {
    const statement = (condition: string) =>
      `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": { "Service": "alexa-appkit.amazon.com" },\n      "Action": "lambda:InvokeFunction",\n      "Resource": "arn:aws:lambda:us-east-1:111122223333:function:skill"${condition}\n    }\n  ]\n}\n`;
    const root = tempTree({
      'any-skill.json': statement(''),
      'one-skill.json': statement(',\n      "Condition": { "StringEquals": { "lambda:EventSourceToken": "amzn1.ask.skill.12345678-1234-1234-1234-123456789012" } }'),
    });
    const { findings } = await scan({ paths: ['.'], cwd: root });
    const ig102 = findings.filter((f) => f.ruleId === 'IG102');
    expect(ig102.map((f) => [f.range.file, f.range.line])).toEqual([['any-skill.json', 6]]);
    expect(ig102[0].fix?.description).toBe('Add a condition to the statement: "Condition": {"StringEquals": {"lambda:EventSourceToken": "<the skill id>"}}. Not applied by --fix: the skill id is not in the scan.');
  });

  it('marks the grant unscoped in the invoker graph only without the skill id, and hands the token to Access Analyzer', async () => {
    const grant = (name: string, principal: string, token?: string) =>
      `resource "aws_lambda_permission" "${name}" {\n  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.skill.function_name\n  principal     = "${principal}"\n${token ? `  event_source_token = ${token}\n` : ''}}\n`;
    const root = tempTree({
      'main.tf': [
        'resource "aws_lambda_function" "skill" {\n  function_name = "skill"\n}\n',
        'variable "skill_id" {\n  type = string\n}\n',
        grant('one_skill', 'alexa-appkit.amazon.com', '"amzn1.ask.skill.12345678-1234-1234-1234-123456789012"'),
        grant('skill_variable', 'alexa-connectedhome.amazon.com', 'var.skill_id'),
        grant('any_skill', 'alexa-appkit.amazon.com'),
      ].join('\n'),
    });
    const { model } = await loadModel({ paths: ['.'], cwd: root });
    const alexa = invokerGraph(model)
      .flatMap((f) => f.invokers)
      .filter((i) => i.kind === 'resource-permission' && i.principal.startsWith('alexa-'));
    expect(alexa.map((i) => (i.kind === 'resource-permission' ? [i.via, i.principalClass, i.unscoped, i.eventSourceToken] : []))).toEqual([
      ['aws_lambda_permission.one_skill', 'service', false, 'amzn1.ask.skill.12345678-1234-1234-1234-123456789012'],
      ['aws_lambda_permission.skill_variable', 'service', false, '${var.skill_id}'],
      ['aws_lambda_permission.any_skill', 'service', true, undefined],
    ]);
    const statements = functionPolicies(model).flatMap((p) => p.statements);
    expect(statements.map((statement) => JSON.stringify(statement).includes('"lambda:EventSourceToken"'))).toEqual([true, true, false]);
  });
});
