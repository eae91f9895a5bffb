import { describe, expect, it } from '@jest/globals';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/temp-tree.js';

async function findings(template: string, rules: string[]) {
  const { findings } = await scan({ paths: ['.'], cwd: tempTree({ 'template.yaml': template }) });
  return findings.filter((f) => rules.includes(f.ruleId)).map((f) => [f.ruleId, f.resource, f.range.line]);
}

/**
 * SAM merges Globals into each function before CloudFormation resolves intrinsics: the function's own value wins,
 * `!Ref AWS::NoValue` included (it then removes the property), and only two plain objects merge key by key.
 */
describe('SAM Globals merge', () => {
  /** Fn (line 8) holds lambda:* and iam:PassRole (line 17); Globals bound every function's role to s3 only. */
  const bounded = (own: string) => `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    PermissionsBoundary: !Ref S3Only
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: x
${own}      Policies:
        - Statement:
            - Effect: Allow
              Action: ['iam:PassRole', 'lambda:*']
              Resource: '*'
  S3Only:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:*
            Resource: '*'
`;
  const RULES = ['IG201', 'IG202', 'IG204', 'IG205'];

  it('a function\'s PermissionsBoundary: !Ref AWS::NoValue leaves its role without the Globals boundary', async () => {
    expect(await findings(bounded(''), RULES)).toEqual([]);
    const own = '      PermissionsBoundary: !Ref AWS::NoValue\n';
    expect(await findings(bounded(own), RULES)).toEqual([
      ['IG204', 'FnRole', 6],
      ['IG201', 'Fn', 16],
      ['IG202', 'Fn', 16],
      ['IG205', 'Fn', 16],
    ]);
  });

  it('Role: !Ref AWS::NoValue is no role: SAM still generates one, under the Globals boundary', async () => {
    expect(await findings(bounded('      Role: !Ref AWS::NoValue\n'), RULES)).toEqual([]);
  });

  /** Api (line 6) with its own FunctionUrlConfig `own`; Globals set AuthType NONE at line 4. */
  const url = (own: string) => `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    FunctionUrlConfig: { AuthType: NONE }
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: x
${own}`;

  it('a Globals FunctionUrlConfig merges into the function\'s own: AuthType NONE from Globals is reported where it is written', async () => {
    expect(await findings(url(''), ['IG104'])).toEqual([['IG104', 'Api', 4]]);
    expect(await findings(url('      FunctionUrlConfig:\n        Cors: { AllowOrigins: ["*"] }\n'), ['IG104'])).toEqual([['IG104', 'Api', 4]]);
    // The function's own AuthType wins.
    expect(await findings(url('      FunctionUrlConfig:\n        AuthType: AWS_IAM\n'), ['IG104'])).toEqual([]);
    // AWS::NoValue: the function has no URL at all.
    expect(await findings(url('      FunctionUrlConfig: !Ref AWS::NoValue\n'), ['IG104'])).toEqual([]);
  });
});
