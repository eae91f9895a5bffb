import { describe, expect, it } from '@jest/globals';
import { loadActionCatalog } from '../../src/iam/action-catalog.js';
import { actionHint, editDistance, hintSuggestion } from '../../src/iam/action-hints.js';

const catalog = await loadActionCatalog(['sqs', 's3', 'bedrock', 'lambda', 'firehose', 'rds', 'aws-marketplace', 'dynamodb']);
const lower = (...actions: string[]) => new Set(actions.map((a) => a.toLowerCase()));

describe('actionHint', () => {
  it('maps documented API operations to the action IAM authorises them with', () => {
    expect(actionHint('sqs:SendMessageBatch', catalog)).toEqual({ actions: ['sqs:SendMessage'], kind: 'operation', why: 'IAM authorises SendMessageBatch with sqs:SendMessage' });
    expect(actionHint('sqs:deletemessagebatch', catalog)?.actions).toEqual(['sqs:DeleteMessage']);
    expect(actionHint('sqs:ChangeMessageVisibilityBatch', catalog)?.actions).toEqual(['sqs:ChangeMessageVisibility']);
    expect(actionHint('s3:HeadObject', catalog)?.actions).toEqual(['s3:GetObject']);
    expect(actionHint('bedrock:Converse', catalog)?.actions).toEqual(['bedrock:InvokeModel']);
    expect(actionHint('bedrock:ConverseStream', catalog)?.actions).toEqual(['bedrock:InvokeModelWithResponseStream']);
    expect(actionHint('lambda:InvokeWithResponseStream', catalog)?.actions).toEqual(['lambda:InvokeFunction']);
  });

  it('maps API endpoint prefixes to the IAM prefix, then looks again under it', () => {
    expect(actionHint('bedrock-runtime:InvokeModel', catalog)).toMatchObject({ actions: ['bedrock:InvokeModel'], kind: 'prefix' });
    expect(actionHint('docdb:*', catalog)).toMatchObject({ actions: ['rds:*'], kind: 'prefix' });
    expect(actionHint('bedrock-runtime:Converse', catalog)).toMatchObject({ actions: ['bedrock:InvokeModel'], kind: 'operation' });
    expect(actionHint('bedrock-runtime:Converse', catalog)?.why).toBe(
      'IAM names Bedrock runtime actions with the prefix bedrock; IAM authorises Converse with bedrock:InvokeModel',
    );
    expect(actionHint('docdb:NoSuchThing', catalog)).toBeUndefined();
  });

  it('names the action under a service prefix a slip away, when no service has the one written', async () => {
    const typos = await loadActionCatalog(['lamda', 'sqs', 'dynamdb', 'cloudwach', 'ec22', 'secretmanager']);
    expect(typos.nearService('LAMDA')?.prefix).toBe('lambda');
    expect(typos.nearService('lamda')?.actions).toContain('lambda:InvokeFunction');
    expect(actionHint('lamda:InvokeFunction', typos)).toEqual({ actions: ['lambda:InvokeFunction'], kind: 'spelling' });
    expect(actionHint('lamda:invokefuncton', typos)).toEqual({ actions: ['lambda:InvokeFunction'], kind: 'spelling' });
    expect(actionHint('lamda:Invoke*', typos)).toEqual({ actions: ['lambda:Invoke*'], kind: 'spelling' });
    expect(actionHint('dynamdb:GetItem', typos)?.actions).toEqual(['dynamodb:GetItem']);
    expect(actionHint('cloudwach:PutMetricData', typos)?.actions).toEqual(['cloudwatch:PutMetricData']);
    expect(actionHint('secretmanager:GetSecretValue', typos)?.actions).toEqual(['secretsmanager:GetSecretValue']);
    // Short prefixes get no guess (as short names get none); a real prefix is never "near" another.
    expect(typos.nearService('ec22')).toBeUndefined();
    expect(typos.nearService('sqs')).toBeUndefined();
    expect(actionHint('lamda:Nothing*', typos)).toBeUndefined();
    expect(actionHint('lamda:Nothing', typos)).toBeUndefined();
    // The near service stays out of the catalog: a typo does not make `expand` or `serviceExists` see it.
    expect(typos.serviceExists('lambda')).toBeUndefined();
    expect(typos.expand('*:InvokeFunction')).toEqual([]);
  });

  it('uses a mapping only while its target is in the catalog', async () => {
    const bare = await loadActionCatalog(['sqs']);
    expect(actionHint('bedrock-runtime:InvokeModel', bare)).toBeUndefined();
    expect(actionHint('s3:HeadObject', bare)).toBeUndefined();
  });

  it('finds plural slips, naming the batch action of the singular too', () => {
    expect(actionHint('lambda:CheckpointDurableExecutions', catalog)).toEqual({ actions: ['lambda:CheckpointDurableExecution'], kind: 'spelling' });
    expect(actionHint('s3:DeleteObjects', catalog)?.actions).toEqual(['s3:DeleteObject']);
    expect(actionHint('firehose:PutRecords', catalog)?.actions).toEqual(['firehose:PutRecord', 'firehose:PutRecordBatch']);
    expect(actionHint('lambda:ListFunction', catalog)?.actions).toEqual(['lambda:ListFunctions']);
  });

  it('finds one close spelling, scaled to the length of the name', () => {
    expect(actionHint('lambda:InvokeFuncton', catalog)?.actions).toEqual(['lambda:InvokeFunction']);
    expect(actionHint('lambda:AddPermision', catalog)?.actions).toEqual(['lambda:AddPermission']);
    expect(actionHint('sqs:SendMesage', catalog)?.actions).toEqual(['sqs:SendMessage']);
    expect(actionHint('lambda:GetAlas', catalog)?.actions).toEqual(['lambda:GetAlias']);
    // Two edits on a short name may be a different word, not a typo; one edit from two actions is a coin toss.
    expect(actionHint('lambda:GatAlas', catalog)).toBeUndefined();
    expect(actionHint('dynamodb:PetItem', catalog)).toBeUndefined();
    expect(actionHint('dynamodb:CreateItem', catalog)).toBeUndefined();
  });

  it('completes a name cut short at a word boundary, unless the statement already lists the completion', () => {
    expect(actionHint('bedrock:GetModelInvocationLogging', catalog)?.actions).toEqual(['bedrock:GetModelInvocationLoggingConfiguration']);
    expect(actionHint('lambda:ListDurableExecutions', catalog)?.actions).toEqual(['lambda:ListDurableExecutionsByFunction']);
    // A retired action whose longer namesake the author also wrote was meant as something else.
    const listed = lower('aws-marketplace:CreatePrivateMarketplace', 'aws-marketplace:CreatePrivateMarketplaceRequests');
    expect(actionHint('aws-marketplace:CreatePrivateMarketplace', catalog, listed)).toBeUndefined();
  });

  it('gives no hint for wildcard patterns, unknown services or names with no good candidate', () => {
    expect(actionHint('lambda:Describe*', catalog)).toBeUndefined();
    expect(actionHint('lamda:AddPermission', catalog)).toBeUndefined();
    expect(actionHint('lambda:CreateDurableExecution', catalog)).toBeUndefined();
    expect(actionHint('bedrock:AcceptAcknowledgement', catalog)).toBeUndefined();
    expect(actionHint('sqs', catalog)).toBeUndefined();
    expect(actionHint('sqs:', catalog)).toBeUndefined();
    expect(actionHint('constructor:toString', catalog)).toBeUndefined();
  });
});

describe('hintSuggestion', () => {
  const none = new Set<string>();
  it('names the action to paste, and warns when pasting it widens an Allow or narrows a Deny', () => {
    const batch = actionHint('sqs:SendMessageBatch', catalog)!;
    expect(hintSuggestion('sqs:SendMessageBatch', batch, { listed: none })).toBe('Use "sqs:SendMessage": IAM authorises SendMessageBatch with sqs:SendMessage.');
    expect(hintSuggestion('sqs:SendMessageBatch', batch, { listed: none, widens: 'grant' })).toBe(
      'Use "sqs:SendMessage": IAM authorises SendMessageBatch with sqs:SendMessage. Replacing "sqs:SendMessageBatch" allows access this statement does not allow today; make sure that is intended.',
    );
    const typo = actionHint('lambda:AddPermision', catalog)!;
    expect(hintSuggestion('lambda:AddPermision', typo, { listed: none, widens: 'exempt' })).toBe(
      'Did you mean "lambda:AddPermission"? Replacing "lambda:AddPermision" takes the replacement out of this Deny, which covers it today; make sure that is intended.',
    );
  });

  it('says the entry can go when the statement already lists every candidate', () => {
    const listed = lower('sqs:SendMessage', 'sqs:SendMessageBatch');
    expect(hintSuggestion('sqs:SendMessageBatch', actionHint('sqs:SendMessageBatch', catalog)!, { listed, widens: 'grant' })).toBe(
      'IAM authorises SendMessageBatch with sqs:SendMessage, which this statement already lists, so "sqs:SendMessageBatch" can be removed.',
    );
    const records = lower('firehose:PutRecord', 'firehose:PutRecords', 'firehose:PutRecordBatch');
    expect(hintSuggestion('firehose:PutRecords', actionHint('firehose:PutRecords', catalog)!, { listed: records, widens: 'grant' })).toBe(
      'Did you mean "firehose:PutRecord" or "firehose:PutRecordBatch"? This statement already lists them, so "firehose:PutRecords" can be removed.',
    );
    // Listing only one of two candidates still leaves something to paste.
    expect(hintSuggestion('firehose:PutRecords', actionHint('firehose:PutRecords', catalog)!, { listed: lower('firehose:PutRecord'), widens: 'grant' })).toMatch(
      /^Did you mean "firehose:PutRecord" or "firehose:PutRecordBatch"\? Replacing/,
    );
  });
});

describe('editDistance', () => {
  it('counts edits and gives up past the limit', () => {
    expect(editDistance('invokefuncton', 'invokefunction', 2)).toBe(1);
    expect(editDistance('abc', 'abc', 2)).toBe(0);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
