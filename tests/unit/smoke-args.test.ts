// `npm run smoke`'s flags (scripts/lib/smoke/args.ts): what a run may be asked, and the one-line refusals of what it may not.
import { UsageError } from '../../scripts/lib/cli';
import { readBaseUrl, readSmokeOptions, USAGE } from '../../scripts/lib/smoke/args';

const FLAGS = ['--api-url', 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/', '--user-pool-id', 'us-east-1_AbC123', '--client-id', '1example23456789'];

/** The UsageError message `argv` gets, or 'no error'. */
function refusal(argv: readonly string[]): string {
  try {
    readSmokeOptions(argv);
    return 'no error';
  } catch (err) {
    return err instanceof UsageError ? err.message : `not a UsageError: ${String(err)}`;
  }
}

describe('smoke flags', () => {
  it('reads a stack and its region, and nothing else is needed', () => {
    // Act
    const options = readSmokeOptions(['--stack', 'pets-demo', '--region', 'eu-west-1']);

    // Assess
    expect(options).toMatchObject({ stack: 'pets-demo', region: 'eu-west-1' });
  });

  it('reads the outputs as flags, base URLs without their trailing slash', () => {
    // Act
    const options = readSmokeOptions([...FLAGS, '--http-api-url', 'https://xyz987wvut.execute-api.us-east-1.amazonaws.com', '--token-use', 'id', '--cors-origin', 'https://app.example.com']);

    // Assess
    expect(options).toMatchObject({
      apiUrl: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod',
      httpApiUrl: 'https://xyz987wvut.execute-api.us-east-1.amazonaws.com',
      userPoolId: 'us-east-1_AbC123',
      clientId: '1example23456789',
      tokenUse: 'id',
      corsOrigin: 'https://app.example.com',
    });
  });

  it('answers help to -h and --help', () => {
    // Act
    const answers = [readSmokeOptions(['-h']), readSmokeOptions(['--help'])];

    // Assess
    expect(answers).toEqual(['help', 'help']);
  });

  it('names what is missing without --stack', () => {
    // Act
    const messages = [refusal([]), refusal(['--api-url', 'https://a.example/prod']), refusal(['--user-pool-id', 'us-east-1_AbC123', '--client-id', 'c1'])];

    // Assess
    expect(messages).toEqual([
      'give --stack NAME, or --api-url or --http-api-url, --user-pool-id, --client-id (missing)',
      'give --stack NAME, or --user-pool-id, --client-id (missing)',
      'give --stack NAME, or --api-url or --http-api-url (missing)',
    ]);
  });

  it('refuses plain http except to this machine, where tokens and passwords cannot be overheard', () => {
    // Act
    const remote = refusal([...FLAGS, '--http-api-url', 'http://api.example.com']);
    const local = ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000'].map((url) => readBaseUrl('--api-url', url));

    // Assess
    expect(remote).toBe('--http-api-url must be https (plain http only to 127.0.0.1, localhost or [::1]: tokens and passwords cross it); got "http://api.example.com"');
    expect(local).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']);
  });

  it('refuses an endpoint on another machine over plain http', () => {
    // Act
    const message = refusal([...FLAGS, '--endpoint', 'http://10.0.0.5:5000']);

    // Assess
    expect(message).toMatch(/^--endpoint must be https/);
  });

  it('refuses URLs with a query, a fragment or credentials', () => {
    // Act
    const messages = ['https://a.example/prod?x=1', 'https://a.example/prod#x', 'https://user:pw@a.example/prod', 'not a url'].map((url) => refusal(['--stack', 's', '--api-url', url]));

    // Assess
    expect(messages.map((m) => m.split(' (got')[0])).toEqual([
      '--api-url must be a base URL without a query, a fragment or credentials',
      '--api-url must be a base URL without a query, a fragment or credentials',
      '--api-url must be a base URL without a query, a fragment or credentials',
      '--api-url must be a URL like https://abc123defg.execute-api.us-east-1.amazonaws.com/prod',
    ]);
  });

  it('refuses malformed ids, regions, token uses and origins, naming the flag', () => {
    // Act
    const messages = [
      refusal(['--stack', '1pets']),
      refusal(['--stack', 's', '--region', 'moon-1']),
      refusal(['--stack', 's', '--user-pool-id', 'AbC123']),
      refusal(['--stack', 's', '--client-id', 'a b']),
      refusal(['--stack', 's', '--token-use', 'refresh']),
      refusal(['--stack', 's', '--cors-origin', 'app.example.com']),
    ];

    // Assess
    expect(messages.map((m) => m.split(' must ')[0])).toEqual(['--stack', '--region', '--user-pool-id', '--client-id', '--token-use', '--cors-origin']);
  });

  it('refuses --region without --stack: Cognito’s region is the pool id’s', () => {
    // Act
    const message = refusal([...FLAGS, '--region', 'us-east-1']);

    // Assess
    expect(message).toBe("--region goes with --stack (Cognito's region is the user pool id's)");
  });

  it('accepts a stack id (ARN) as --stack', () => {
    // Act
    const options = readSmokeOptions(['--stack', 'arn:aws:cloudformation:us-east-1:123456789012:stack/pets-demo/0a1b2c3d-0000-1111-2222-333344445555']);

    // Assess
    expect(options).toMatchObject({ stack: 'arn:aws:cloudformation:us-east-1:123456789012:stack/pets-demo/0a1b2c3d-0000-1111-2222-333344445555' });
  });

  it('refuses unknown flags and stray arguments', () => {
    // Act
    const messages = [refusal(['--stack', 's', '--verbose']), refusal(['--stack', 's', 'extra'])];

    // Assess
    expect(messages).toEqual(['unknown option --verbose', 'unexpected argument "extra"']);
  });

  it('explains in --help the permissions a run needs, that signing in needs none, and the users it creates', () => {
    // Act
    const named = [
      'cloudformation:DescribeStacks',
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:DescribeUserPool',
      'needs no IAM permission',
      'cra-smoke-<run>-admin',
      'never printed',
    ].filter((text) => !USAGE.includes(text));

    // Assess
    expect(named).toEqual([]);
  });
});
