// What the smoke takes from a stack (scripts/lib/smoke/stack.ts and target.ts): outputs, parameters, the flags over them, and what is missing, in words.
import type { Stack } from '@aws-sdk/client-cloudformation';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SmokeOptions } from '../../scripts/lib/smoke/args';
import { SmokeConfigError } from '../../scripts/lib/smoke/errors';
import { explainMissing, OUTPUTS, PARAMETERS, readStack, stackFacts, type StackFacts } from '../../scripts/lib/smoke/stack';
import { resolveTarget, type TargetIo } from '../../scripts/lib/smoke/target';
import { ROOT } from '../../scripts/lib/paths';
import { loadTemplate } from '../helpers/template';

const POOL = 'us-east-1_AbC123';
const CLIENT = '1example23456789';
const REST_URL = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod';
const HTTP_URL = 'https://xyz987wvut.execute-api.us-east-1.amazonaws.com';

/** DescribeStacks' answer for a demo stack (DeployMode both), as the SDK types it. */
function sdkStack(overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: 'pets-demo',
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: new Date(0),
    Outputs: [
      { OutputKey: 'ApiUrl', OutputValue: REST_URL },
      { OutputKey: 'HttpApiUrl', OutputValue: HTTP_URL },
      { OutputKey: 'UserPoolId', OutputValue: POOL },
      { OutputKey: 'UserClientId', OutputValue: CLIENT },
      { OutputKey: 'AuthorizerFunctionArn', OutputValue: 'arn:aws:lambda:us-east-1:123456789012:function:pets-demo-AuthorizerFunction' },
    ],
    Parameters: [
      { ParameterKey: 'DeployMode', ParameterValue: 'both' },
      { ParameterKey: 'UserPoolId', ParameterValue: '' },
      { ParameterKey: 'TokenUse', ParameterValue: 'access' },
      { ParameterKey: 'RouteRules', ParameterValue: '' },
      { ParameterKey: 'CorsAllowOrigin', ParameterValue: '*' },
      { ParameterKey: 'AuthorizerResultTtl', ParameterValue: '300' },
    ],
    ...overrides,
  };
}

const facts = (overrides: Partial<Stack> = {}): StackFacts => stackFacts(sdkStack(overrides), 'us-east-1');

/** The stack with these outputs dropped and these parameters changed. */
function variant(dropOutputs: string[], parameters: Record<string, string> = {}): StackFacts {
  const base = sdkStack();
  return facts({
    Outputs: (base.Outputs ?? []).filter((o) => !dropOutputs.includes(o.OutputKey ?? '')),
    Parameters: (base.Parameters ?? []).map((p) => ({ ...p, ParameterValue: parameters[p.ParameterKey ?? ''] ?? p.ParameterValue })),
  });
}

/** Files the target reads: the real bundled rules, and `files` by absolute path. */
function io(files: Record<string, string> = {}): TargetIo {
  return {
    cwd: '/work/here',
    readText: (file) => {
      if (file in files) return files[file] as string;
      if (file === path.join(ROOT, 'config', 'rules.json')) return readFileSync(file, 'utf8');
      throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    },
  };
}

/** The SmokeConfigError message of resolving `options` against `stack`, or 'no error'. */
function problem(options: SmokeOptions, stack: StackFacts | undefined, files: Record<string, string> = {}): string {
  try {
    resolveTarget(options, stack, io(files));
    return 'no error';
  } catch (err) {
    return err instanceof SmokeConfigError ? err.message : `not a SmokeConfigError: ${String(err)}`;
  }
}

describe('smoke: what it reads is what template.yaml declares', () => {
  const template = loadTemplate() as unknown as { Parameters: Record<string, { AllowedValues?: string[] }>; Outputs: Record<string, unknown>; Resources: Record<string, { Type: string }> };

  it('reads outputs the template declares: the REST API, the pool, the demo client', () => {
    // Act
    const read = [OUTPUTS.restUrl, OUTPUTS.userPoolId, OUTPUTS.clientId];

    // Assess
    expect(read.filter((name) => !(name in template.Outputs))).toEqual([]);
  });

  it('names the HTTP API’s URL output as the template does, when the template has an HTTP API', () => {
    // Prepare
    const hasHttpApi = Object.values(template.Resources).some((r) => r.Type === 'AWS::Serverless::HttpApi');

    // Act
    const declared = OUTPUTS.httpUrl in template.Outputs;

    // Assess
    expect(declared).toBe(hasHttpApi);
  });

  it('reads parameters the template declares, and knows its authorizer-only mode', () => {
    // Act
    const missing = Object.values(PARAMETERS).filter((name) => !(name in template.Parameters));

    // Assess
    expect({ missing, authorizerOnly: template.Parameters['DeployMode']?.AllowedValues?.includes('authorizer-only') }).toEqual({ missing: [], authorizerOnly: true });
  });
});

describe('smoke: a stack’s outputs and parameters', () => {
  it('turns DescribeStacks’ lists into maps, ResolvedValue before ParameterValue', () => {
    // Act
    const read = facts({ Parameters: [{ ParameterKey: 'RouteRules', ParameterValue: '/pets/rules', ResolvedValue: '{"routes":[]}' }] });

    // Assess
    expect(read).toMatchObject({ name: 'pets-demo', region: 'us-east-1', status: 'CREATE_COMPLETE', parameters: { RouteRules: '{"routes":[]}' } });
  });

  it('reads the APIs, the pool, the client, the token use, the CORS origin and the TTL', () => {
    // Act
    const read = readStack(facts());

    // Assess
    expect(read).toEqual({ restUrl: REST_URL, httpUrl: HTTP_URL, userPoolId: POOL, clientId: CLIENT, tokenUse: 'access', corsOrigin: '*', ttlSeconds: 300, rulesText: undefined });
  });

  it('refuses a stack that is not deployed (a failed create, a delete under way)', () => {
    // Act
    const messages = (['ROLLBACK_COMPLETE', 'DELETE_IN_PROGRESS', 'CREATE_IN_PROGRESS'] as const).map((StackStatus) => problem({ stack: 'pets-demo' }, facts({ StackStatus })));

    // Assess
    expect(messages).toEqual([
      'stack pets-demo is ROLLBACK_COMPLETE: nothing deployed to smoke (wait for it, or fix the deployment)',
      'stack pets-demo is DELETE_IN_PROGRESS: nothing deployed to smoke (wait for it, or fix the deployment)',
      'stack pets-demo is CREATE_IN_PROGRESS: nothing deployed to smoke (wait for it, or fix the deployment)',
    ]);
  });

  it('accepts a stack whose last update rolled back: what it has is deployed', () => {
    // Act
    const message = problem({ stack: 'pets-demo' }, facts({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE' }));

    // Assess
    expect(message).toBe('no error');
  });
});

describe('smoke: the target of a run', () => {
  it('takes everything from a demo stack: both APIs, the bundled rules, access tokens', () => {
    // Act
    const target = resolveTarget({ stack: 'pets-demo' }, facts(), io());

    // Assess
    expect({ ...target, rules: target.rules.label }).toEqual({
      from: 'stack pets-demo (us-east-1)',
      apis: [
        { kind: 'rest', url: REST_URL },
        { kind: 'http', url: HTTP_URL },
      ],
      userPoolId: POOL,
      region: 'us-east-1',
      clientId: CLIENT,
      tokenUse: 'access',
      rules: 'config/rules.json',
      corsOrigin: '*',
      ttlSeconds: 300,
    });
  });

  it('lets the flags replace the stack’s outputs and parameters', () => {
    // Act
    const target = resolveTarget({ stack: 'pets-demo', apiUrl: 'http://127.0.0.1:3000', clientId: 'other9', tokenUse: 'id', corsOrigin: 'https://app.example.com' }, facts(), io());

    // Assess
    expect(target).toMatchObject({ apis: [{ kind: 'rest', url: 'http://127.0.0.1:3000' }, { kind: 'http', url: HTTP_URL }], clientId: 'other9', tokenUse: 'id', corsOrigin: 'https://app.example.com' });
  });

  it('takes the rules from the stack’s RouteRules when it sets them', () => {
    // Prepare
    const inline = '{"routes":[{"route":"GET /pets","allow":["authenticated"]}]}';

    // Act
    const target = resolveTarget({ stack: 'pets-demo' }, variant([], { RouteRules: inline }), io());

    // Assess
    expect({ label: target.rules.label, routes: target.rules.doc.routes.map((r) => r.route) }).toEqual({ label: "the stack's RouteRules", routes: ['GET /pets'] });
  });

  it('reads --rules from where npm was run (INIT_CWD), and refuses rules the product would refuse', () => {
    // Prepare
    const good = '{"routes":[{"route":"GET /me","allow":["authenticated"]}]}';
    const bad = '{"routes":[{"route":"GET /me","allow":["friends"]}]}';

    // Act
    const target = resolveTarget({ stack: 'pets-demo', rulesFile: 'mine.json' }, facts(), io({ '/work/here/mine.json': good }));
    const refused = [problem({ stack: 'pets-demo', rulesFile: 'bad.json' }, facts(), { '/work/here/bad.json': bad }), problem({ stack: 'pets-demo', rulesFile: 'none.json' }, facts())];

    // Assess
    expect(target.rules.label).toBe('mine.json');
    expect(refused[0]).toMatch(/^the rules \(bad\.json\) are invalid: routes\[0\]\.allow\[0\]: /);
    expect(refused[1]).toBe('cannot read --rules none.json: ENOENT');
  });

  it('explains that an authorizer-only stack has no sample API, and what to do instead', () => {
    // Act
    const message = problem({ stack: 'pets-demo' }, variant(['ApiUrl', 'HttpApiUrl'], { DeployMode: 'authorizer-only' }));

    // Assess
    expect(message).toBe(
      'stack pets-demo was deployed with DeployMode=authorizer-only: the authorizer alone, no sample API to smoke. ' +
        'Test the APIs you attached it to yourself, or deploy it with a DeployMode that has a sample API, or give --api-url / --http-api-url.',
    );
  });

  it('asks for --client-id when the stack trusts the user’s own pool (no demo client)', () => {
    // Act
    const message = problem({ stack: 'pets-demo' }, variant(['UserClientId'], { UserPoolId: POOL }));

    // Assess
    expect(message).toMatch(/^stack pets-demo trusts your own user pool \(parameter UserPoolId=us-east-1_AbC123\), so it has no demo app client \(output UserClientId\): give --client-id/);
  });

  it('names the outputs a stack does have when it lacks the ones needed', () => {
    // Act
    const message = explainMissing(variant(['ApiUrl', 'HttpApiUrl']), 'api');

    // Assess
    expect(message).toBe(
      'stack pets-demo has no ApiUrl or HttpApiUrl output (outputs: AuthorizerFunctionArn, UserClientId, UserPoolId): is it a cognito-route-authorizer stack with a sample API? Give --api-url or --http-api-url.',
    );
  });

  it('asks which pool to use when the stack trusts several', () => {
    // Act
    const message = problem({ stack: 'pets-demo', clientId: 'c1' }, facts({ Outputs: [{ OutputKey: 'ApiUrl', OutputValue: REST_URL }, { OutputKey: 'UserPoolId', OutputValue: `${POOL},eu-west-1_XyZ789` }] }));

    // Assess
    expect(message).toBe(`the stack trusts several user pools (${POOL},eu-west-1_XyZ789): give --user-pool-id with the one to create the demo users in, and --client-id`);
  });

  it('holds a stack’s URLs to the flags’ rule: no plain http to another machine', () => {
    // Act
    const message = problem({ stack: 'pets-demo' }, facts({ Outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'http://api.example.com/prod' }, { OutputKey: 'UserPoolId', OutputValue: POOL }, { OutputKey: 'UserClientId', OutputValue: CLIENT }] }));

    // Assess
    expect(message).toMatch(/^output ApiUrl of pets-demo must be https/);
  });

  it('takes Cognito’s region from the pool id, not from the stack’s region', () => {
    // Act
    const target = resolveTarget({ stack: 'pets-demo', userPoolId: 'eu-central-1_Qq9' }, facts(), io());

    // Assess
    expect(target.region).toBe('eu-central-1');
  });
});
