// The rules tool reads APIs as API Gateway exports and SAM templates write them, quirks included.
import { readFileSync } from 'node:fs';
import { apiRouteText, type ApiDefinition } from '../../src/cli/api';
import { UsageError } from '../../src/cli/errors';
import { detectKind, readOpenApi } from '../../src/cli/openapi';
import { parseTemplateText, parseYamlText, readTemplate } from '../../src/cli/sam-template';
import { exportFixture } from '../helpers/cli';
import { templateText } from '../helpers/template';

const readJson = (name: string): Record<string, unknown> => JSON.parse(readFileSync(exportFixture(name), 'utf8')) as Record<string, unknown>;
const routeTexts = (api: ApiDefinition): string[] => api.routes.map(apiRouteText).sort();
const routeNamed = (api: ApiDefinition, text: string) => api.routes.find((r) => apiRouteText(r) === text);

describe('REST API export (get-export oas30, extensions=apigateway)', () => {
  const api = readOpenApi(readJson('rest-oas30-pets.json'), 'rest-oas30-pets.json');

  it('is recognised as a REST API from its markers', () => {
    // Prepare / Act: read above

    // Assess
    expect(api.kind).toBe('rest');
    expect(api.kindEvidence).toContain('x-amazon-apigateway-authtype');
    expect(api.kindEvidence).toContain('mock integrations');
  });

  it('reads x-amazon-apigateway-any-method as ANY and skips operation-level parameters', () => {
    // Prepare / Act: read above

    // Assess
    expect(routeTexts(api)).toEqual([
      'ANY /admin/{proxy+}',
      'DELETE /pets/{petId}',
      'GET /health',
      'GET /me',
      'GET /pets',
      'GET /pets/{petId}',
      'OPTIONS /admin/{proxy+}',
      'OPTIONS /me',
      'OPTIONS /pets',
      'OPTIONS /pets/{petId}',
      'POST /pets',
    ]);
  });

  it('guards operations whose security names the custom TOKEN authorizer', () => {
    // Prepare / Act: read above

    // Assess
    expect(routeNamed(api, 'ANY /admin/{proxy+}')?.protection).toEqual({ kind: 'lambda', authorizer: 'TOKEN' });
    expect(routeNamed(api, 'GET /pets')?.protection.kind).toBe('lambda');
  });

  it('takes CORS preflight options operations with mock integrations and no security as unguarded', () => {
    // Prepare / Act: read above

    // Assess
    const preflight = routeNamed(api, 'OPTIONS /pets/{petId}');
    expect(preflight?.protection).toEqual({ kind: 'none', why: 'CORS preflight (mock integration, no authorizer)' });
    expect(preflight?.where).toBe('paths./pets/{petId}.options');
    expect(routeNamed(api, 'GET /health')?.protection).toEqual({ kind: 'none', why: 'no authorizer' });
  });

  it('takes an options operation that names the authorizer as guarded (it needs a rule)', () => {
    // Prepare
    const doc = readJson('rest-oas30-pets.json');
    const paths = doc['paths'] as Record<string, Record<string, Record<string, unknown>>>;
    (paths['/me'] as Record<string, Record<string, unknown>>)['options'] = { ...paths['/me']?.['options'], security: [{ TOKEN: [] }] };

    // Act
    const guarded = readOpenApi(doc, 'edited');

    // Assess
    expect(routeNamed(guarded, 'OPTIONS /me')?.protection.kind).toBe('lambda');
  });
});

describe('HTTP API export (export-api --specification OAS30)', () => {
  const api = readOpenApi(readJson('http-oas30-pets.json'), 'http-oas30-pets.json');

  it('is recognised as an HTTP API from its markers', () => {
    // Prepare / Act: read above

    // Assess
    expect(api.kind).toBe('http');
    expect(api.kindEvidence).toContain('x-amazon-apigateway-importexport-version');
    expect(api.kindEvidence).toContain('isDefaultRoute');
  });

  it('reads /$default with isDefaultRoute as the default route, and path-level proxy+ parameters as no route', () => {
    // Prepare / Act: read above

    // Assess
    const def = api.routes.filter((r) => r.isDefault === true);
    expect(def).toHaveLength(1);
    expect(def[0]?.protection.kind).toBe('lambda');
    expect(routeTexts(api)).toEqual(['$default', 'ANY /admin/{proxy+}', 'DELETE /pets/{petId}', 'GET /health', 'GET /me', 'GET /pets', 'GET /pets/{petId}', 'POST /pets']);
  });

  it('guards routes through an apiKey scheme with a REQUEST authorizer and no authtype', () => {
    // Prepare / Act: read above

    // Assess
    expect(routeNamed(api, 'GET /pets')?.protection).toEqual({ kind: 'lambda', authorizer: 'cognito-route-authorizer' });
    expect(routeNamed(api, 'GET /health')?.protection.kind).toBe('none');
  });

  it('notes that x-amazon-apigateway-cors answers preflights without the authorizer', () => {
    // Prepare / Act: read above

    // Assess
    expect(api.notes.join('\n')).toContain('x-amazon-apigateway-cors');
  });
});

describe('which kind of API a document is', () => {
  it('refuses to guess when there is no marker, naming the way out', () => {
    // Prepare
    const bare = { openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/pets': { get: {} } } };

    // Act
    const act = () => detectKind(bare, 'bare.json');

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(/pass --api rest or --api http/);
  });

  it('takes --api over the markers and says what it overrode', () => {
    // Prepare
    const doc = readJson('http-oas30-pets.json');

    // Act
    const kind = detectKind(doc, 'x', 'rest');

    // Assess
    expect(kind.kind).toBe('rest');
    expect(kind.evidence).toMatch(/--api rest \(although the file has .*importexport/);
  });

  it('reads swagger 2.0 REST exports with securityDefinitions', () => {
    // Prepare
    const doc = {
      swagger: '2.0',
      info: { title: 'old', version: '1' },
      paths: { '/pets': { get: { security: [{ auth: [] }] } } },
      securityDefinitions: { auth: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': { type: 'request' } } },
    };

    // Act
    const api = readOpenApi(doc, 'swagger.json');

    // Assess
    expect(api.kind).toBe('rest');
    expect(api.routes[0]?.protection.kind).toBe('lambda');
  });

  it('tells JWT and Cognito user pool authorizers apart from Lambda authorizers', () => {
    // Prepare
    const doc = {
      openapi: '3.0.1',
      info: { title: 'mixed', version: '1' },
      paths: { '/a': { get: { security: [{ jwt: [] }] } }, '/b': { get: { security: [{ pool: [] }] } } },
      components: {
        securitySchemes: {
          jwt: { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': { identitySource: '$request.header.Authorization', jwtConfiguration: {}, type: 'jwt' } },
          pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools' },
        },
      },
    };

    // Act
    const api = readOpenApi(doc, 'mixed.json', { kind: 'rest' });

    // Assess
    expect(api.routes.map((r) => r.protection)).toEqual([
      { kind: 'other', authorizer: 'jwt', type: 'JWT authorizer' },
      { kind: 'other', authorizer: 'pool', type: 'Cognito user pool authorizer' },
    ]);
  });

  it('reads YAML exports (get-export --accepts application/yaml)', () => {
    // Prepare
    const yaml = "openapi: 3.0.1\ninfo: {title: y, version: '1'}\npaths:\n  /pets:\n    x-amazon-apigateway-any-method:\n      isDefaultRoute: false\n";

    // Act
    const api = readOpenApi(parseYamlText(yaml, 'y.yaml'), 'y.yaml', { kind: 'http' });

    // Assess
    expect(routeTexts(api)).toEqual(['ANY /pets']);
  });

  it('names the file, line and column of a YAML syntax error', () => {
    // Prepare
    const broken = 'Resources:\n  A: [unclosed\n';

    // Act
    const act = () => parseTemplateText(broken, 'broken.yaml');

    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(/broken\.yaml is not valid YAML \(line \d+, column \d+\)/);
  });
});

describe('SAM templates', () => {
  it('reads the sample template: its REST API, Lambda authorizers by a parameter default, and SAM-made CORS preflights', () => {
    // Prepare
    const template = parseTemplateText(templateText(), 'template.yaml');

    // Act
    const [api, ...others] = readTemplate(template);

    // Assess: the HTTP sample comes second (its own test below).
    expect(others.map((o) => [o.name, o.kind])).toEqual([['PetsHttpApi', 'http']]);
    expect(api?.name).toBe('PetsApi');
    expect(api?.kind).toBe('rest');
    const guarded = api?.routes.filter((r) => r.protection.kind === 'lambda').map(apiRouteText);
    expect(guarded).toContain('GET /pets');
    expect(guarded?.some((t) => t.startsWith('OPTIONS'))).toBe(false);
    expect(api?.routes.find((r) => r.method === 'OPTIONS')?.protection).toEqual({
      kind: 'none',
      why: 'CORS preflight that SAM adds for Cors (AddDefaultAuthorizerToCorsPreflight: false)',
    });
  });

  it('reads the sample HTTP API: every route behind its Lambda authorizer but the ANY route’s preflight', () => {
    // Prepare
    const template = parseTemplateText(templateText(), 'template.yaml');

    // Act
    const http = readTemplate(template).find((a) => a.kind === 'http');

    // Assess
    const open = http?.routes.filter((r) => r.protection.kind !== 'lambda').map(apiRouteText);
    expect(open).toEqual(['OPTIONS /admin/{proxy+}']);
    expect(http?.routes.map(apiRouteText)).toContain('ANY /admin/{proxy+}');
  });

  it('guards the CORS preflights when AddDefaultAuthorizerToCorsPreflight is left at its default (true)', () => {
    // Prepare
    const template = parseTemplateText(
      `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Lambda
        Authorizers:
          Lambda: { FunctionArn: !GetAtt Fn.Arn }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Method: get, Path: /pets } }
`,
      't.yaml',
    );

    // Act
    const [api] = readTemplate(template);

    // Assess
    expect(api?.routes.map((r) => `${apiRouteText(r)} ${r.protection.kind}`)).toEqual(['GET /pets lambda', 'OPTIONS /pets lambda']);
  });

  it('reads HttpApi events: Auth NONE unguarded, no Method and Path as the $default route', () => {
    // Prepare
    const template = parseTemplateText(readFileSync(exportFixture('http-api-template.yaml'), 'utf8'), 'http-api-template.yaml');

    // Act
    const [api] = readTemplate(template);

    // Assess
    expect(api?.kind).toBe('http');
    expect(routeNamed(api as ApiDefinition, 'GET /health')?.protection).toEqual({ kind: 'none', why: 'Auth: { Authorizer: NONE }' });
    expect(routeNamed(api as ApiDefinition, '$default')?.protection.kind).toBe('lambda');
    expect(routeNamed(api as ApiDefinition, 'GET /pets')?.where).toBe('Resources.BackendFunction.Properties.Events.ListPets');
  });

  it('puts events without RestApiId on the implicit API, guarded by Globals.Api.Auth, and reads inline DefinitionBody', () => {
    // Prepare
    const template = parseTemplateText(
      `Globals:
  Api:
    Auth:
      DefaultAuthorizer: Tok
      Authorizers:
        Tok: { FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:a }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: { Type: Api, Properties: { Method: GET, Path: /a } }
  Defined:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: 3.0.1
        info: { title: d, version: '1' }
        paths:
          /b:
            get: {}
`,
      't.yaml',
    );

    // Act
    const apis = readTemplate(template);

    // Assess
    expect(apis.map((a) => [a.name, a.routes.map((r) => `${apiRouteText(r)} ${r.protection.kind}`)])).toEqual([
      ['Defined', ['GET /b lambda']],
      ['ServerlessRestApi', ['GET /a lambda']],
    ]);
  });
});
