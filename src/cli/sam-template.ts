// A SAM (or CloudFormation) template as APIs: `AWS::Serverless::Function` events of type Api and
// HttpApi (Method, Path, Auth), the APIs' authorizers and CORS, and inline definitions (DefinitionBody
// or Body). YAML with CloudFormation's short-form tags (!Ref, !Sub …) read as their long forms.
import { parse, type YAMLMap, type YAMLSeq } from 'yaml';
import type { RoutingModel } from '../rules';
import type { RouteMethod } from '../rules/route';
import { isRecord } from '../is-record';
import type { ApiDefinition, ApiRoute, Protection } from './api';
import { UsageError } from './errors';
import { readOpenApi, type DefaultSecurity } from './openapi';

type Node = YAMLMap | YAMLSeq;
type Dict = Record<string, unknown>;

const scalarTag = (name: string, fn: string, value: (text: string) => unknown = (text) => text) => ({
  tag: `!${name}`,
  resolve: (text: string) => ({ [fn]: value(text) }),
});
const collectionTag = (name: string, fn: string, kind: 'seq' | 'map') => ({
  tag: `!${name}`,
  collection: kind,
  resolve: (node: Node) => ({ [fn]: node.toJSON() as unknown }),
});

const SEQ_FUNCTIONS = ['And', 'Equals', 'If', 'Not', 'Or', 'FindInMap', 'Join', 'Select', 'Split', 'Sub', 'GetAtt', 'Cidr', 'GetAZs', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'ValueOfAll', 'RefAll', 'ValueOf', 'Length', 'ToJsonString'];
const SCALAR_FUNCTIONS = ['Sub', 'Base64', 'ImportValue', 'GetAZs'];

/** CloudFormation's short-form tags, each resolved to its long (JSON) form: `!Ref X` → `{ Ref: 'X' }`. */
export const CLOUDFORMATION_TAGS = [
  scalarTag('Ref', 'Ref'),
  scalarTag('Condition', 'Condition'),
  // `!GetAtt Resource.Attribute` is the list [Resource, Attribute].
  scalarTag('GetAtt', 'Fn::GetAtt', (text) => {
    const dot = text.indexOf('.');
    return [text.slice(0, dot), text.slice(dot + 1)];
  }),
  ...SCALAR_FUNCTIONS.map((name) => scalarTag(name, `Fn::${name}`)),
  ...SEQ_FUNCTIONS.map((name) => collectionTag(name, `Fn::${name}`, 'seq')),
  collectionTag('Base64', 'Fn::Base64', 'map'),
  collectionTag('ImportValue', 'Fn::ImportValue', 'map'),
  collectionTag('Transform', 'Fn::Transform', 'map'),
  collectionTag('ToJsonString', 'Fn::ToJsonString', 'map'),
];

/** Parses YAML (or JSON) with CloudFormation's tags; a syntax error is a UsageError naming the file, line and column. */
export function parseYamlText(text: string, label: string): unknown {
  try {
    return parse(text, { customTags: CLOUDFORMATION_TAGS, prettyErrors: true }) as unknown;
  } catch (err) {
    const e = err as Error & { linePos?: { line: number; col: number }[] };
    const at = e.linePos?.[0];
    const where = at === undefined ? '' : ` (line ${at.line}, column ${at.col})`;
    throw new UsageError(`${label} is not valid YAML${where}: ${e.message.split('\n')[0] ?? ''}`);
  }
}

/** Parses a template (YAML or JSON); it must have Resources. */
export function parseTemplateText(text: string, label: string): Dict {
  const doc = parseYamlText(text, label);
  if (!isRecord(doc) || !isRecord(doc['Resources'])) throw new UsageError(`${label} is not a CloudFormation template (no Resources)`);
  return doc;
}

/** A parameter reference resolved to the parameter's default (SAM resolves these in Auth); other values as they are. */
function resolved(value: unknown, template: Dict): unknown {
  if (isRecord(value) && typeof value['Ref'] === 'string') {
    const params = template['Parameters'];
    const param = isRecord(params) ? params[value['Ref']] : undefined;
    if (isRecord(param) && param['Default'] !== undefined) return param['Default'];
  }
  return value;
}

/** The logical id an event's RestApiId/ApiId names (`!Ref X` or a plain string). */
function referencedId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value['Ref'] === 'string') return value['Ref'];
  return undefined;
}

/** One API of the template being assembled: its kind, its Auth and CORS settings, its routes. */
interface ApiDraft {
  readonly id: string;
  readonly kind: RoutingModel;
  readonly auth: Dict;
  readonly cors: boolean;
  readonly routes: ApiRoute[];
  readonly notes: string[];
}

/** Properties merged over the Globals section for that resource type (as SAM does). */
function withGlobals(template: Dict, section: 'Api' | 'HttpApi', properties: Dict): Dict {
  const globals = template['Globals'];
  const g = isRecord(globals) && isRecord(globals[section]) ? globals[section] : {};
  return { ...g, ...properties };
}

/** What an authorizer name means on this API: a Lambda authorizer, another, or none. */
function protectionFor(name: unknown, api: ApiDraft, template: Dict): Protection {
  const value = resolved(name, template);
  if (value === undefined) return { kind: 'none', why: 'no authorizer (no Auth.Authorizer and no DefaultAuthorizer)' };
  if (value === 'NONE') return { kind: 'none', why: 'Auth: { Authorizer: NONE }' };
  if (value === 'AWS_IAM') return { kind: 'other', authorizer: 'AWS_IAM', type: 'IAM (SigV4)' };
  const label = typeof value === 'string' ? value : JSON.stringify(value);
  const authorizers = isRecord(api.auth['Authorizers']) ? api.auth['Authorizers'] : {};
  const spec = typeof value === 'string' ? authorizers[value] : undefined;
  if (!isRecord(spec)) return { kind: 'other', authorizer: label, type: 'an authorizer not defined in Auth.Authorizers' };
  if (spec['FunctionArn'] !== undefined) return { kind: 'lambda', authorizer: label };
  if (spec['UserPoolArn'] !== undefined) return { kind: 'other', authorizer: label, type: 'Cognito user pool authorizer' };
  if (spec['JwtConfiguration'] !== undefined) return { kind: 'other', authorizer: label, type: 'JWT authorizer' };
  return { kind: 'other', authorizer: label, type: 'an authorizer of unknown type' };
}

/** An API resource of the template, with its inline definition read when it has one. */
function apiFromResource(id: string, resource: Dict, template: Dict): ApiDraft | undefined {
  const type = resource['Type'];
  const props = isRecord(resource['Properties']) ? resource['Properties'] : {};
  let draft: ApiDraft;
  if (type === 'AWS::Serverless::Api' || type === 'AWS::Serverless::HttpApi') {
    const kind = type === 'AWS::Serverless::Api' ? 'rest' : 'http';
    const merged = withGlobals(template, kind === 'rest' ? 'Api' : 'HttpApi', props);
    const auth = isRecord(merged['Auth']) ? merged['Auth'] : {};
    const cors = kind === 'rest' ? merged['Cors'] !== undefined : merged['CorsConfiguration'] !== undefined;
    draft = { id, kind, auth, cors, routes: [], notes: [] };
    if (kind === 'http' && cors) draft.notes.push(`${id}: CorsConfiguration: the HTTP API answers CORS preflight itself, without the authorizer`);
    readInlineDefinition(draft, merged['DefinitionBody'], template, `Resources.${id}.Properties.DefinitionBody`);
    if (merged['DefinitionUri'] !== undefined) draft.notes.push(`${id}: DefinitionUri is not read; pass that file with --openapi to check its routes`);
  } else if (type === 'AWS::ApiGateway::RestApi' || (type === 'AWS::ApiGatewayV2::Api' && props['ProtocolType'] !== 'WEBSOCKET')) {
    draft = { id, kind: type === 'AWS::ApiGateway::RestApi' ? 'rest' : 'http', auth: {}, cors: false, routes: [], notes: [] };
    readInlineDefinition(draft, props['Body'], template, `Resources.${id}.Properties.Body`);
  } else {
    return undefined;
  }
  return draft;
}

/** Adds the routes of an inline OpenAPI definition; SAM applies the DefaultAuthorizer to operations without security. */
function readInlineDefinition(api: ApiDraft, body: unknown, template: Dict, where: string): void {
  if (!isRecord(body)) return;
  const fallback: DefaultSecurity | undefined =
    api.auth['DefaultAuthorizer'] === undefined
      ? undefined
      : { protection: protectionFor(api.auth['DefaultAuthorizer'], api, template), onPreflight: api.auth['AddDefaultAuthorizerToCorsPreflight'] !== false };
  const definition = readOpenApi(body, where, { kind: api.kind, name: api.id, ...(fallback === undefined ? {} : { fallback }) });
  api.routes.push(...definition.routes.map((r) => ({ ...r, where: `${where}.${r.where}` })));
  api.notes.push(...definition.notes);
}

/** The implicit API SAM creates for events that name none: ServerlessRestApi or ServerlessHttpApi. */
function implicitApi(kind: RoutingModel, template: Dict): ApiDraft {
  const merged = withGlobals(template, kind === 'rest' ? 'Api' : 'HttpApi', {});
  const auth = isRecord(merged['Auth']) ? merged['Auth'] : {};
  const cors = kind === 'rest' ? merged['Cors'] !== undefined : merged['CorsConfiguration'] !== undefined;
  return { id: kind === 'rest' ? 'ServerlessRestApi' : 'ServerlessHttpApi', kind, auth, cors, routes: [], notes: [] };
}

/** The method of an event (`get`, `any`, `ANY` …) as a route method, or undefined when it is none. */
function eventMethod(value: unknown): RouteMethod | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].includes(upper) ? (upper as RouteMethod) : undefined;
}

/** Adds a function event's route to its API. */
function addEventRoute(apis: Map<string, ApiDraft>, template: Dict, fn: string, name: string, event: Dict): void {
  const type = event['Type'];
  if (type !== 'Api' && type !== 'HttpApi') return;
  const kind: RoutingModel = type === 'Api' ? 'rest' : 'http';
  const props = isRecord(event['Properties']) ? event['Properties'] : {};
  const where = `Resources.${fn}.Properties.Events.${name}`;
  const ref = referencedId(kind === 'rest' ? props['RestApiId'] : props['ApiId']);
  const id = ref ?? (kind === 'rest' ? 'ServerlessRestApi' : 'ServerlessHttpApi');
  let api = apis.get(id);
  if (api === undefined) apis.set(id, (api = ref === undefined ? implicitApi(kind, template) : { id, kind, auth: {}, cors: false, routes: [], notes: [`${id}: not defined in this template; its authorizers are unknown`] }));
  const auth = isRecord(props['Auth']) ? props['Auth'] : {};
  const protection = protectionFor(auth['Authorizer'] ?? api.auth['DefaultAuthorizer'], api, template);
  if (kind === 'http' && props['Method'] === undefined && props['Path'] === undefined) {
    api.routes.push({ method: 'ANY', path: '$default', protection, where, isDefault: true });
    return;
  }
  const method = eventMethod(props['Method']);
  const path = props['Path'];
  if (method === undefined || typeof path !== 'string') {
    api.notes.push(`${where}: Method or Path is not a plain value, so this event is not checked`);
    return;
  }
  api.routes.push({ method, path, protection, where });
}

/** SAM's CORS preflight: an OPTIONS method on every path of a REST API with Cors, guarded only when the default authorizer is added to it. */
function addPreflights(api: ApiDraft, template: Dict): void {
  if (api.kind !== 'rest' || !api.cors) return;
  const explicit = new Set(api.routes.filter((r) => r.method === 'OPTIONS').map((r) => r.path));
  const paths = [...new Set(api.routes.map((r) => r.path))].filter((p) => !explicit.has(p));
  const guarded = api.auth['DefaultAuthorizer'] !== undefined && api.auth['AddDefaultAuthorizerToCorsPreflight'] !== false;
  const where = `Resources.${api.id}.Properties.Cors`;
  for (const path of paths) {
    const protection: Protection = guarded
      ? protectionFor(api.auth['DefaultAuthorizer'], api, template)
      : { kind: 'none', why: 'CORS preflight that SAM adds for Cors (AddDefaultAuthorizerToCorsPreflight: false)' };
    api.routes.push({ method: 'OPTIONS', path, protection, where: `${where} (preflight)` });
  }
}

/**
 * The APIs of a template that have routes: explicit API resources (with inline definitions) and
 * SAM's implicit ones, with every Api and HttpApi event of every `AWS::Serverless::Function`.
 */
export function readTemplate(template: Dict): ApiDefinition[] {
  const resources = template['Resources'] as Dict;
  const apis = new Map<string, ApiDraft>();
  for (const [id, resource] of Object.entries(resources)) {
    if (!isRecord(resource)) continue;
    const api = apiFromResource(id, resource, template);
    if (api !== undefined) apis.set(id, api);
  }
  for (const [fn, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource['Type'] !== 'AWS::Serverless::Function') continue;
    const props = isRecord(resource['Properties']) ? resource['Properties'] : {};
    const events = isRecord(props['Events']) ? props['Events'] : {};
    for (const [name, event] of Object.entries(events)) if (isRecord(event)) addEventRoute(apis, template, fn, name, event);
  }
  for (const api of apis.values()) addPreflights(api, template);
  return [...apis.values()]
    .filter((api) => api.routes.length > 0)
    .map((api) => ({
      name: api.id,
      kind: api.kind,
      kindEvidence: api.kind === 'rest' ? 'a REST API (AWS::Serverless::Api or Api events)' : 'an HTTP API (AWS::Serverless::HttpApi or HttpApi events)',
      routes: api.routes,
      notes: api.notes,
    }));
}
