// template.yaml agrees with the rest of the project: the build, the rules' routes, the authorizer's configuration contract.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV } from '../../src/config';
import { functionSetting, loadBuildOptions, loadTemplate, ROOT, templateText, type BuildOptions, type Template } from '../helpers/template';

interface Rules {
  routes: { route: string }[];
}

const FUNCTIONS = { authorizer: 'AuthorizerFunction', backend: 'BackendFunction' } as const;

/**
 * esbuild options of `npm run build` that have no BuildProperties counterpart, and why shipping
 * without them is the same bundle: SAM's esbuild builder always bundles for the node platform, and
 * the other two change only comments and the build's console output.
 */
const SAME_WITHOUT = { bundle: true, platform: 'node', legalComments: 'none', logLevel: 'warning' } as const;

/**
 * Source maps: the template ships none (`sam build` would set NODE_OPTIONS=--enable-source-maps,
 * measured at +8 ms per cold start and +38 ms per error at init here). Until
 * scripts/build-options.mjs sets `sourcemap: false` as well, this is the one option compared
 * against a fixed value rather than against the build's.
 */
const SHIPPED_SOURCEMAP = false;

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
  return { Format: o['format'], Target: o['target'], Minify: o['minify'], Sourcemap: SHIPPED_SOURCEMAP, EntryPoints: [entry], External: o['external'] };
}

/** `METHOD /path` of every Api event of the backend, as API Gateway will route them. */
function apiRoutes(): string[] {
  const events = (template.Resources[FUNCTIONS.backend]?.Properties?.['Events'] ?? {}) as Record<
    string,
    { Type: string; Properties: { Method: string; Path: string } }
  >;
  return Object.values(events)
    .filter((e) => e.Type === 'Api')
    .map((e) => `${e.Properties.Method.toUpperCase()} ${e.Properties.Path}`);
}

const ruleRoutes = (): string[] =>
  rules.routes.map((r) => {
    const [method = '', ...rest] = r.route.trim().split(/\s+/);
    return `${method.toUpperCase()} ${rest.join(' ')}`;
  });

describe('template.yaml builds what npm run build builds', () => {
  it.each(Object.entries(FUNCTIONS))('gives the %s function the esbuild options of scripts/build-options.mjs', (name, logicalId) => {
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

  it('builds a function for every entry of scripts/build-options.mjs', () => {
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
});

describe('the sample API and config/rules.json', () => {
  it('serves every route of config/rules.json', () => {
    // Prepare
    const served = new Set(apiRoutes());

    // Act
    const missing = ruleRoutes().filter((r) => !served.has(r));

    // Assess
    expect(missing).toEqual([]);
  });

  it('serves no route that config/rules.json lacks', () => {
    // Prepare
    const ruled = new Set(ruleRoutes());

    // Act
    const extra = apiRoutes().filter((r) => !ruled.has(r));

    // Assess
    expect(extra).toEqual([]);
  });

  it('serves each route once', () => {
    // Prepare
    const routes = apiRoutes();

    // Act
    const unique = new Set(routes);

    // Assess
    expect(unique.size).toBe(routes.length);
  });

  it('protects every route with the default authorizer the AuthorizerType parameter names', () => {
    // Prepare
    const api = template.Resources['PetsApi']?.Properties as { Auth: { DefaultAuthorizer: unknown; Authorizers: Record<string, unknown> } };
    const events = Object.values((template.Resources[FUNCTIONS.backend]?.Properties?.['Events'] ?? {}) as Record<string, { Properties: object }>);

    // Act
    const overridden = events.filter((e) => 'Auth' in e.Properties);

    // Assess
    expect(api.Auth.DefaultAuthorizer).toEqual({ Ref: 'AuthorizerType' });
    expect(Object.keys(api.Auth.Authorizers).sort()).toEqual([...(template.Parameters['AuthorizerType']?.AllowedValues ?? [])].sort());
    expect(overridden).toEqual([]);
  });
});

describe('the authorizer’s configuration', () => {
  it('sets every required variable of the configuration contract', () => {
    // Prepare
    const names = [ENV.userPoolIds, ENV.clientIds, ENV.tokenUse, ENV.routeRules];

    // Act
    const variables = (template.Resources[FUNCTIONS.authorizer]?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(names));
  });

  it('declares the JWKS endpoint override empty, so only sam local invoke --env-vars sets it', () => {
    // Prepare
    const overrides: string[] = [ENV.endpoint, ENV.endpointCognito];

    // Act
    const variables = (template.Resources[FUNCTIONS.authorizer]?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(overrides.filter((name) => name in variables).map((name) => [name, variables[name]])).toEqual([[ENV.endpointCognito, '']]);
  });

  it('uses the bundled config/rules.json unless RouteRules is given', () => {
    // Prepare
    const parameter = template.Parameters['RouteRules'];

    // Act
    const variables = (template.Resources[FUNCTIONS.authorizer]?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(parameter?.Default).toBe('');
    expect(variables[ENV.routeRules]).toEqual({ Ref: 'RouteRules' });
  });

  it('gives events/env.json exactly the authorizer’s variables, for sam local invoke', () => {
    // Prepare
    const env = JSON.parse(readFileSync(path.join(ROOT, 'events', 'env.json'), 'utf8')) as Record<string, Record<string, string>>;

    // Act
    const variables = (template.Resources[FUNCTIONS.authorizer]?.Properties?.['Environment'] as { Variables: object }).Variables;

    // Assess
    expect(Object.keys(env)).toEqual(['AuthorizerFunction']);
    expect(Object.keys(env['AuthorizerFunction'] ?? {}).sort()).toEqual(Object.keys(variables).sort());
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

  it('outputs the API URL, the authorizer ARN and invoke URI, the pool, the clients and the token endpoint', () => {
    // Prepare
    const wanted = ['ApiUrl', 'AuthorizerFunctionArn', 'AuthorizerInvokeUri', 'UserPoolId', 'UserClientId', 'MachineClientId', 'TokenEndpoint'];

    // Act
    const outputs = Object.keys(template.Outputs ?? {});

    // Assess
    expect(outputs).toEqual(expect.arrayContaining(wanted));
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
