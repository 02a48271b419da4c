// template.yaml agrees with the rest of the project: the build, the rules' routes, the authorizer's
// configuration contract and its 4 KB environment, the files it names, and the release version.
import { PARAMETER_LIMIT as ROUTE_RULES_PARAMETER_LIMIT } from '../../src/cli/check';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ENV, USER_POOL_ID } from '../../src/config';
import { functionSetting, loadBuildOptions, loadTemplate, ROOT, templateText, type BuildOptions, type Parameter, type Template } from '../helpers/template';

interface Rules {
  routes: { route: string }[];
}

/** An OpenAPI operation as the template writes it (intrinsics in their long forms). */
interface Operation {
  security?: Record<string, string[]>[];
  'x-amazon-apigateway-integration'?: { type?: string; httpMethod?: string; payloadFormatVersion?: string; uri?: unknown };
}

type Paths = Record<string, Record<string, Operation>>;

/** A parameter with the length bound the helper's type leaves out. */
type ParameterSpec = Parameter & { MaxLength?: number };

const FUNCTIONS = { authorizer: 'AuthorizerFunction', backend: 'BackendFunction' } as const;

/** The sample APIs: logical id and the OpenAPI definition SAM completes. */
const APIS = { REST: 'PetsApi', HTTP: 'PetsHttpApi' } as const;

/** The HTTP API's one authorizer, named under `security` on every route. */
const HTTP_AUTHORIZER = 'CognitoRouteAuthorizer';

/** Lambda's limit on a function's environment: the JSON of all its variables, in bytes. */
const LAMBDA_ENV_LIMIT = 4096;

/**
 * The longest value a reference to these demo resources can take: Cognito's maximum lengths of a
 * user pool id (55) and an app client id (128), from the Cognito API reference.
 */
const LONGEST_RESOURCE_REF: Record<string, number> = { DemoUserPool: 55, DemoUserClient: 128, DemoMachineClient: 128 };

/**
 * esbuild options of `npm run build` that have no BuildProperties counterpart, and why shipping
 * without them is the same bundle: SAM's esbuild builder always bundles for the node platform, and
 * the other two change only comments and the build's console output.
 */
const SAME_WITHOUT = { bundle: true, platform: 'node', legalComments: 'none', logLevel: 'warning' } as const;

let template: Template;
let build: BuildOptions;
let rules: Rules;

beforeAll(() => {
  template = loadTemplate();
  build = loadBuildOptions();
  rules = JSON.parse(readFileSync(path.join(ROOT, 'config', 'rules.json'), 'utf8')) as Rules;
});

/** What the template's BuildProperties must be for a function built from `entry`. */
function expectedBuildProperties(entry: string): Record<string, unknown> {
  const o = build.sharedOptions;
  return { Format: o['format'], Target: o['target'], Minify: o['minify'], Sourcemap: o['sourcemap'], EntryPoints: [entry], External: o['external'] };
}

/** The OpenAPI paths of a sample API, as written in template.yaml. */
function pathsOf(api: string): Paths {
  const body = template.Resources[api]?.Properties?.['DefinitionBody'] as { paths?: Paths } | undefined;
  return body?.paths ?? {};
}

/** Every operation of a sample API as `METHOD /path` (x-amazon-apigateway-any-method is ANY). */
function operationsOf(api: string): { route: string; operation: Operation }[] {
  return Object.entries(pathsOf(api)).flatMap(([p, item]) =>
    Object.entries(item).map(([verb, operation]) => ({
      route: `${verb === 'x-amazon-apigateway-any-method' ? 'ANY' : verb.toUpperCase()} ${p}`,
      operation,
    })),
  );
}

/** A credential-free OPTIONS route: the browser's preflight, where an ANY route would otherwise catch it. */
const isPreflight = ({ route, operation }: { route: string; operation: Operation }): boolean =>
  route.startsWith('OPTIONS ') && operation.security === undefined;

/** `METHOD /path` of every route a sample API serves to callers (preflights aside). */
const apiRoutes = (api: string): string[] => operationsOf(api).filter((o) => !isPreflight(o)).map((o) => o.route);

const ruleRoutes = (): string[] =>
  rules.routes.map((r) => {
    const [method = '', ...rest] = r.route.trim().split(/\s+/);
    return `${method.toUpperCase()} ${rest.join(' ')}`;
  });

const authorizerVariables = (): Record<string, unknown> =>
  (template.Resources[FUNCTIONS.authorizer]?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

/** The longest text a template expression can stand for, with the characters that cost most in JSON. */
function longestValue(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  const e = expression as Record<string, unknown>;
  if (typeof e['Ref'] === 'string') {
    const name = e['Ref'];
    if (name in LONGEST_RESOURCE_REF) return 'x'.repeat(LONGEST_RESOURCE_REF[name] ?? 0);
    const parameter: ParameterSpec | undefined = (template.Parameters as Record<string, ParameterSpec | undefined>)[name];
    if (parameter?.AllowedValues) return parameter.AllowedValues.map(String).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (parameter?.MaxLength !== undefined) {
      // A character JSON escapes (" or \) counts twice, if the parameter admits it.
      const pattern = new RegExp(parameter.AllowedPattern ?? '');
      const costly = ['"', '\\'].find((c) => pattern.test(c.repeat(parameter.MaxLength ?? 0)));
      return (costly ?? 'x').repeat(parameter.MaxLength);
    }
    throw new Error(`${name} has no bound on its length`);
  }
  if (Array.isArray(e['Fn::If'])) {
    const [, yes, no] = e['Fn::If'] as unknown[];
    const [a, b] = [longestValue(yes), longestValue(no)];
    return JSON.stringify(a).length >= JSON.stringify(b).length ? a : b;
  }
  if (typeof e['Fn::Sub'] === 'string') {
    return e['Fn::Sub'].replace(/\$\{([A-Za-z0-9:]+)(\.[A-Za-z]+)?\}/g, (_m, name: string) => longestValue({ Ref: name }));
  }
  throw new Error(`cannot bound ${JSON.stringify(expression)}`);
}

describe('template.yaml builds what npm run build builds', () => {
  it.each(Object.entries(FUNCTIONS))('gives the %s function the esbuild options of scripts/build-options.ts', (name, logicalId) => {
    // Prepare
    const entry = build.functions[name]?.entry ?? '(missing)';

    // Act
    const metadata = template.Resources[logicalId]?.Metadata;

    // Assess
    expect(metadata).toEqual({ BuildMethod: 'esbuild', BuildProperties: expectedBuildProperties(entry) });
  });

  it('leaves no esbuild option of npm run build unaccounted for in the template', () => {
    // Prepare
    const mapped = ['format', 'target', 'minify', 'sourcemap', 'external'];

    // Act
    const unaccounted = Object.entries(build.sharedOptions).filter(
      ([key, value]) => !mapped.includes(key) && SAME_WITHOUT[key as keyof typeof SAME_WITHOUT] !== value,
    );

    // Assess
    expect(unaccounted).toEqual([]);
  });

  it('builds a function for every entry of scripts/build-options.ts', () => {
    // Prepare
    const entries = Object.keys(build.functions).sort();

    // Act
    const functions = Object.keys(FUNCTIONS).sort();

    // Assess
    expect(functions).toEqual(entries);
  });

  it('keeps esbuild a production dependency, so SAM finds it after its own npm install', () => {
    // Prepare: sam build copies the project, installs production dependencies (package-lock.json
    // pins them), then runs esbuild from node_modules/.bin; only the bundle is deployed.
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };

    // Act
    const esbuild = manifest.dependencies?.['esbuild'];

    // Assess
    expect(esbuild).toBeDefined();
    expect(existsSync(path.join(ROOT, 'package-lock.json'))).toBe(true);
  });

  it.each(Object.values(FUNCTIONS))('runs %s as handler.handler from the repository root', (logicalId) => {
    // Prepare
    const settings = ['Handler', 'CodeUri'];

    // Act
    const values = settings.map((s) => functionSetting(template, logicalId, s));

    // Assess
    expect(values).toEqual(['handler.handler', './']);
  });

  it('runs both functions on nodejs22.x, arm64, with active tracing', () => {
    // Prepare
    const settings = ['Runtime', 'Architectures', 'Tracing'];

    // Act
    const values = Object.values(FUNCTIONS).map((id) => settings.map((s) => functionSetting(template, id, s)));

    // Assess
    expect(values).toEqual([
      ['nodejs22.x', ['arm64'], 'Active'],
      ['nodejs22.x', ['arm64'], 'Active'],
    ]);
  });

  it('keeps the authorizer’s X-Ray SDK off: Lambda’s active tracing records it, and the SDK would cost every request', () => {
    // Act
    const traceEnabled = authorizerVariables()['POWERTOOLS_TRACE_ENABLED'];

    // Assess
    expect(traceEnabled).toBe('false');
    expect(functionSetting(template, FUNCTIONS.authorizer, 'Tracing')).toBe('Active');
  });

  it.each(Object.values(FUNCTIONS))('ships %s without NODE_OPTIONS, so sam build adds no source-map flag', (logicalId) => {
    // Prepare
    const properties = template.Resources[logicalId]?.Properties ?? {};

    // Act
    const variables = (properties['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

    // Assess
    expect(Object.keys(variables)).not.toContain('NODE_OPTIONS');
    expect((template.Resources[logicalId]?.Metadata?.['BuildProperties'] as { Sourcemap?: unknown }).Sourcemap).toBe(false);
  });
});

describe.each(Object.entries(APIS))('the sample %s API and config/rules.json', (_kind, api) => {
  it('serves every route of config/rules.json', () => {
    // Prepare
    const served = new Set(apiRoutes(api));

    // Act
    const missing = ruleRoutes().filter((r) => !served.has(r));

    // Assess
    expect(missing).toEqual([]);
  });

  it('serves no route that config/rules.json lacks', () => {
    // Prepare
    const ruled = new Set(ruleRoutes());

    // Act
    const extra = apiRoutes(api).filter((r) => !ruled.has(r));

    // Assess
    expect(extra).toEqual([]);
  });

  it('serves each route once', () => {
    // Prepare
    const routes = apiRoutes(api);

    // Act
    const unique = new Set(routes);

    // Assess
    expect(unique.size).toBe(routes.length);
  });

  it('sends every route, preflights included, to BackendFunction as a Lambda proxy integration', () => {
    // Prepare
    const operations = operationsOf(api);

    // Act
    const elsewhere = operations
      .filter(({ operation }) => {
        const i = operation['x-amazon-apigateway-integration'];
        return !(i?.type === 'aws_proxy' && i.httpMethod === 'POST' && JSON.stringify(i.uri).includes('${BackendFunction.Arn}'));
      })
      .map((o) => o.route);

    // Assess
    expect(operations.length).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
  });
});

describe('the sample APIs’ authorizers', () => {
  it('protects every REST route with the default authorizer the AuthorizerType parameter names', () => {
    // Prepare
    const api = template.Resources[APIS.REST]?.Properties as { Auth: { DefaultAuthorizer: unknown; Authorizers: Record<string, unknown> } };

    // Act
    const ownSecurity = operationsOf(APIS.REST).filter(({ operation }) => operation.security !== undefined);

    // Assess
    expect(api.Auth.DefaultAuthorizer).toEqual({ Ref: 'AuthorizerType' });
    expect(Object.keys(api.Auth.Authorizers).sort()).toEqual([...(template.Parameters['AuthorizerType']?.AllowedValues ?? [])].sort());
    expect(ownSecurity).toEqual([]);
  });

  it(`protects every HTTP route with ${HTTP_AUTHORIZER}, leaving only preflights open`, () => {
    // Prepare
    const operations = operationsOf(APIS.HTTP);

    // Act
    const open = operations.filter((o) => JSON.stringify(o.operation.security) !== JSON.stringify([{ [HTTP_AUTHORIZER]: [] }])).map((o) => o.route);

    // Assess
    expect(open).toEqual(operations.filter(isPreflight).map((o) => o.route));
  });

  it('opens a preflight route exactly where an HTTP ANY route would catch the browser’s OPTIONS', () => {
    // Prepare
    const anyPaths = apiRoutes(APIS.HTTP).filter((r) => r.startsWith('ANY ')).map((r) => r.slice('ANY '.length));

    // Act
    const preflights = operationsOf(APIS.HTTP).filter(isPreflight).map((o) => o.route.slice('OPTIONS '.length));

    // Assess
    expect(preflights.sort()).toEqual(anyPaths.sort());
  });

  it('uses one TTL, an integer literal per allowed value, for the REST and HTTP authorizers', () => {
    // Prepare
    const allowed = (template.Parameters['AuthorizerResultTtl']?.AllowedValues ?? []).map(Number);
    const conditions = template.Conditions as Record<string, { 'Fn::Equals': unknown[] }>;
    const chain = (value: unknown): number[] => {
      const branch = (value as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
      if (branch === undefined) return [value as number];
      const [name, yes, no] = branch;
      expect(conditions[name]?.['Fn::Equals']).toEqual([{ Ref: 'AuthorizerResultTtl' }, yes]);
      return [yes as number, ...chain(no)];
    };
    const rest = (template.Resources[APIS.REST]?.Properties as { Auth: { Authorizers: Record<string, { Identity: { ReauthorizeEvery: unknown } }> } }).Auth.Authorizers;
    const http = template.Resources[APIS.HTTP]?.Properties?.['DefinitionBody'] as {
      components: { securitySchemes: Record<string, { 'x-amazon-apigateway-authorizer': { authorizerResultTtlInSeconds: unknown } }> };
    };

    // Act
    const ttls = [
      ...Object.values(rest).map((a) => a.Identity.ReauthorizeEvery),
      http.components.securitySchemes[HTTP_AUTHORIZER]?.['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds,
    ].map(chain);

    // Assess
    expect(ttls).toEqual([allowed, allowed, allowed]);
    expect(ttls.flat().every(Number.isInteger)).toBe(true);
  });
});

describe('the authorizer’s configuration', () => {
  it('sets every required variable of the configuration contract', () => {
    // Prepare
    const names = [ENV.userPoolIds, ENV.clientIds, ENV.tokenUse, ENV.routeRules, ENV.simpleResponses];

    // Act
    const variables = authorizerVariables();

    // Assess
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(names));
  });

  it('declares the JWKS endpoint override empty, so only sam local invoke --env-vars sets it', () => {
    // Prepare
    const overrides: string[] = [ENV.endpoint, ENV.endpointCognito];

    // Act
    const variables = authorizerVariables();

    // Assess
    expect(overrides.filter((name) => name in variables).map((name) => [name, variables[name]])).toEqual([[ENV.endpointCognito, '']]);
  });

  it('uses the bundled config/rules.json unless RouteRules is given', () => {
    // Prepare
    const parameter = template.Parameters['RouteRules'];

    // Act
    const variables = authorizerVariables();

    // Assess
    expect(parameter?.Default).toBe('');
    expect(variables[ENV.routeRules]).toEqual({ Ref: 'RouteRules' });
  });

  it('answers HTTP APIs with simple responses exactly when HttpAuthorizerResponse is simple', () => {
    // Prepare
    const condition = (template.Conditions as Record<string, unknown>)['HttpSimpleResponses'];

    // Act
    const variable = authorizerVariables()[ENV.simpleResponses];

    // Assess
    expect(condition).toEqual({ 'Fn::Equals': [{ Ref: 'HttpAuthorizerResponse' }, 'simple'] });
    expect(variable).toEqual({ 'Fn::If': ['HttpSimpleResponses', 'true', 'false'] });
    expect(template.Parameters['HttpAuthorizerResponse']?.Default).toBe('iam-policy');
  });

  it('accepts in UserPoolId exactly the pool ids the authorizer accepts', () => {
    // Prepare: CloudFormation refuses what AllowedPattern refuses; the authorizer, what USER_POOL_ID does.
    const pattern = new RegExp(template.Parameters['UserPoolId']?.AllowedPattern ?? '');
    const tricky = [
      'us-east-1_AbC123', 'eusc-de-east-1_x', 'us-gov-west-1_Abc', 'cn-north-1_a1', 'eu-west-1_', 'us-east-10_x', 'US-EAST-1_a',
      'ap-southeast-1_ab-c', 'us-east-1_AbC123 ', 'us-east-1-AbC123', 'eusc-d-east-1_x', 'us-gov-1_x', '_us-east-1_x',
    ];
    const candidate = fc.oneof(
      fc.constantFrom(...tricky),
      fc.stringMatching(/^[a-z]{2,4}(-[a-z]{2,5}){1,3}-\d{1,2}_[A-Za-z0-9_-]{0,6}$/),
    );

    // Act
    const disagreement = (id: string): boolean => pattern.test(id) !== USER_POOL_ID.test(id);

    // Assess
    expect(tricky.filter(disagreement)).toEqual([]);
    fc.assert(fc.property(candidate, (id) => !disagreement(id)), { numRuns: 2000 });
  });

  it('gives events/env.json exactly the authorizer’s variables, for sam local invoke', () => {
    // Prepare
    const env = JSON.parse(readFileSync(path.join(ROOT, 'events', 'env.json'), 'utf8')) as Record<string, Record<string, string>>;

    // Act
    const variables = authorizerVariables();

    // Assess
    expect(Object.keys(env)).toEqual(['AuthorizerFunction']);
    expect(Object.keys(env['AuthorizerFunction'] ?? {}).sort()).toEqual(Object.keys(variables).sort());
  });

  it('keeps the environment under Lambda’s 4 KB with every parameter at its longest', () => {
    // Prepare: Lambda measures the JSON of all variables ("String measured: {...}" in its error),
    // so a quote or backslash in RouteRules counts twice.
    const variables = authorizerVariables();

    // Act
    const longest = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, longestValue(value)]));
    const bytes = Buffer.byteLength(JSON.stringify(longest), 'utf8');

    // Assess
    expect(longest[ENV.routeRules]).toBe('"'.repeat(1700));
    expect(bytes).toBeLessThanOrEqual(LAMBDA_ENV_LIMIT);
  });

  it('caps RouteRules where the rules tool says inline rules stop fitting', () => {
    // Act
    const max = (template.Parameters['RouteRules'] as ParameterSpec).MaxLength;

    // Assess
    expect(max).toBe(ROUTE_RULES_PARAMETER_LIMIT);
  });

  it('would not fit with 100 more characters of rules, so the bound is not looser than it must be', () => {
    // Prepare
    const variables = { ...authorizerVariables() };
    const longest = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, longestValue(value)]));

    // Act
    longest[ENV.routeRules] = '"'.repeat(1800);

    // Assess
    expect(Buffer.byteLength(JSON.stringify(longest), 'utf8')).toBeGreaterThan(LAMBDA_ENV_LIMIT);
  });
});

describe('template.yaml explains itself', () => {
  it('opens every resource with a comment line saying why it exists', () => {
    // Prepare
    const lines = templateText().split('\n');
    const start = lines.indexOf('Resources:');
    const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));

    // Act
    const uncommented = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line, i }) => i > start && i < end && /^ {2}[A-Za-z0-9]+:\s*$/.test(line))
      .filter(({ i }) => !/^ {2}# \S/.test(lines[i - 1] ?? ''))
      .map(({ line }) => line.trim());

    // Assess
    expect(uncommented).toEqual([]);
  });

  it('describes every parameter and gives it a default', () => {
    // Prepare
    const parameters = Object.entries(template.Parameters);

    // Act
    const lacking = parameters.filter(([, p]) => !p.Description || p.Default === undefined).map(([name]) => name);

    // Assess
    expect(lacking).toEqual([]);
  });

  it('outputs both APIs’ URLs and ids, the authorizer ARN and invoke URI, the pool, the clients and the token endpoint', () => {
    // Prepare
    const wanted = [
      'ApiUrl', 'RestApiId', 'HttpApiUrl', 'HttpApiId', 'HttpAuthorizerResponse', 'AuthorizerFunctionArn', 'AuthorizerInvokeUri',
      'UserPoolId', 'UserClientId', 'MachineClientId', 'TokenEndpoint',
    ];

    // Act
    const outputs = Object.keys(template.Outputs ?? {});

    // Assess
    expect(outputs).toEqual(expect.arrayContaining(wanted));
  });

  it('names only files that exist', () => {
    // Prepare
    const named = [...templateText().matchAll(/(?<![\w./-])((?:docs|config|events|scripts|src|tests)\/[\w./-]+\.\w+|README\.md|CHANGELOG\.md|LICENSE)(?![\w/-])/g)].map((m) => m[1] ?? '');

    // Act
    const missing = [...new Set(named)].filter((file) => !file.startsWith('.') && !existsSync(path.join(ROOT, file)));

    // Assess
    expect(named.length).toBeGreaterThan(3);
    expect(missing).toEqual([]);
  });

  it('points sam local invoke at events/env.json, which exists', () => {
    // Prepare
    const samconfig = readFileSync(path.join(ROOT, 'samconfig.toml'), 'utf8');

    // Act
    const section = samconfig.split(/^\[/m).find((s) => s.startsWith('default.local_invoke.parameters]')) ?? '';

    // Assess
    expect(section).toMatch(/^env_vars = "events\/env\.json"$/m);
    expect(existsSync(path.join(ROOT, 'events', 'env.json'))).toBe(true);
  });

  it('passes samconfig.toml’s parameter overrides only values the template allows', () => {
    // Prepare
    const samconfig = readFileSync(path.join(ROOT, 'samconfig.toml'), 'utf8');
    const overrides = /^parameter_overrides = "(.*)"$/m.exec(samconfig)?.[1] ?? '';

    // Act
    const refused = [...overrides.matchAll(/(\w+)=\\"([^"\\]*)\\"/g)]
      .map(([, name = '', value = '']) => ({ name, value, parameter: template.Parameters[name] }))
      .filter(({ value, parameter }) => parameter === undefined || (parameter.AllowedValues !== undefined && !parameter.AllowedValues.map(String).includes(value)))
      .map(({ name, value }) => `${name}=${value}`);

    // Assess
    expect(overrides).toContain('DeployMode=');
    expect(refused).toEqual([]);
  });
});

describe('template.yaml counts decisions', () => {
  it.each(['allow', 'deny', 'unauthorized', 'error'])('has a metric filter on the authorizer log group for decision "%s"', (decision) => {
    // Prepare
    const filters = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');

    // Act
    const match = filters.filter((r) => String(r.Properties?.['FilterPattern']) === `{ $.decision = "${decision}" }`);

    // Assess
    expect(match).toHaveLength(1);
    expect(JSON.stringify(match[0]?.Properties?.['LogGroupName'])).toContain('AuthorizerLogGroup');
  });
});

describe('one version everywhere', () => {
  it('gives package.json, the template’s SemanticVersion and CHANGELOG.md’s newest release the same version', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
    const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const sar = (template as unknown as { Metadata: Record<string, { SemanticVersion?: unknown; SpdxLicenseId?: unknown }> }).Metadata[
      'AWS::ServerlessRepo::Application'
    ];

    // Act
    const newest = /^## \[(\d+\.\d+\.\d+[^\]]*)\] - \d{4}-\d{2}-\d{2}$/m.exec(changelog)?.[1];

    // Assess
    expect([String(sar?.SemanticVersion), newest]).toEqual([manifest.version, manifest.version]);
    expect(sar?.SpdxLicenseId).toBe(manifest.license);
  });

  it('keeps CHANGELOG.md in Keep a Changelog form: an Unreleased section, then releases newest first', () => {
    // Prepare
    const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

    // Act
    const headings = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1] ?? '');
    const versions = headings.slice(1).map((v) => v.split('.').map(Number));
    const descending = versions.every((v, i) => i === 0 || (versions[i - 1] ?? []).join('.') !== v.join('.') && compare(versions[i - 1] ?? [], v) > 0);

    // Assess
    expect(headings[0]).toBe('Unreleased');
    expect(versions.length).toBeGreaterThan(0);
    expect(descending).toBe(true);
  });

  it('ships the MIT-0 text in LICENSE, the license package.json names', () => {
    // Prepare
    const license = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');

    // Act
    const title = license.split('\n')[0];

    // Assess
    expect(title).toBe('MIT No Attribution');
    expect(license).toMatch(/to permit persons to whom the Software is furnished\s+to do so\.\n/);
    expect(license).not.toMatch(/above copyright notice/);
  });
});

/** Compares two versions [major, minor, patch]. */
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
