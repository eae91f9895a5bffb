import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from './generate.js';

const lambda = (i: number, open: boolean) => `  Fn${i}:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn-${i}
      Role: !GetAtt Role${i}.Arn
      Handler: index.handler
      Runtime: nodejs20.x
      Code:
        ZipFile: exports.handler = async () => ({})
  Invoke${i}:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn${i}
      Principal: ${open ? "'*'" : 'events.amazonaws.com'}
      SourceArn: arn:aws:events:us-east-1:123456789012:rule/r${i}
  Url${i}:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Fn${i}.Arn
      AuthType: ${open ? 'NONE' : 'AWS_IAM'}
`;

const iam = (i: number, open: boolean) => `  Role${i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: role-${i}
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  InvokePolicy${i}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: invoke-${i}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: ${open ? "'*'" : `arn:aws:lambda:us-east-1:123456789012:function:fn-${i}`}
`;

const bucket = (i: number) => `  Data${i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: data-${i}
      Tags:
        - { Key: Team, Value: team-${i % 7} }
        - { Key: Env, Value: prod }
`;

const unrelated = (i: number) => `${bucket(i)}  Queue${i}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: queue-${i}
      DelaySeconds: 90
      MaximumMessageSize: 2048
      MessageRetentionPeriod: 86400
      ReceiveMessageWaitTimeSeconds: 10
  Logs${i}:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/lambda/fn-${i}
      RetentionInDays: 14
`;

const moreUnrelated = (i: number) => `  Alerts${i}:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts-${i}
      KmsMasterKeyId: alias/aws/sns
      Tags:
        - { Key: Team, Value: team-${i % 5} }
  Table${i}:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: table-${i}
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - { AttributeName: pk, KeyType: HASH }
      AttributeDefinitions:
        - { AttributeName: pk, AttributeType: S }
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
`;

/** The Terraform corpus's resources (same seed, same mix, same open grants) as CloudFormation templates. */
export function generateCloudFormationCorpus(dir: string, count: number): { files: number; lines: number; bytes: number } {
  const next = random(42);
  let lines = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `stack-${Math.floor(i / 50)}`);
    if (i % 50 === 0) mkdirSync(folder, { recursive: true });
    const open = next() < 0.1;
    const kind = i % 3;
    const resources = kind === 0 ? lambda(i, open) + unrelated(i) : kind === 1 ? iam(i, open) + moreUnrelated(i) : unrelated(i) + moreUnrelated(i);
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${resources}`;
    writeFileSync(join(folder, `file-${i}.yaml`), text);
    lines += text.split('\n').length;
    bytes += Buffer.byteLength(text);
  }
  return { files: count, lines, bytes };
}
