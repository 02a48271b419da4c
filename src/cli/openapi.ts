// API Gateway OpenAPI documents as routes: REST exports (`get-export --export-type oas30
// --parameters extensions=apigateway`, or swagger), HTTP API exports (`export-api --specification
// OAS30`), and inline definitions of SAM or CloudFormation APIs. Which kind it is, from its markers.
import type { RoutingModel } from '../rules';
import { isRecord } from '../is-record';
import { OPERATION_KEYS, type ApiDefinition, type ApiRoute, type Protection } from './api';
import { UsageError } from './errors';

/** How a path's operations are protected when they name no security of their own (SAM's DefaultAuthorizer). */
export interface DefaultSecurity {
  readonly protection: Protection;
  /** SAM: whether the default authorizer also guards OPTIONS operations (AddDefaultAuthorizerToCorsPreflight). */
  readonly onPreflight: boolean;
}

type Scheme = Protection | undefined;

/** A string field of an extension object, lower-cased; '' when absent or not a string. */
function lowerField(value: unknown, key: string): string {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === 'string' ? field.toLowerCase() : '';
}

/** The markers of each kind of API found in a document, as short phrases. */
export interface KindEvidence {
  readonly rest: readonly string[];
  readonly http: readonly string[];
}

/** Every operation of the document: path, operation key, operation object. */
function* operations(paths: Record<string, unknown>): Generator<[string, string, Record<string, unknown>]> {
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const [key, op] of Object.entries(item)) if (key in OPERATION_KEYS && isRecord(op)) yield [path, key, op];
  }
}

/** The security schemes: OpenAPI 3 `components.securitySchemes`, swagger 2 `securityDefinitions`. */
function schemesOf(doc: Record<string, unknown>): Record<string, unknown> {
  const components = doc['components'];
  const oas3 = isRecord(components) ? components['securitySchemes'] : undefined;
  if (isRecord(oas3)) return oas3;
  const swagger = doc['securityDefinitions'];
  return isRecord(swagger) ? swagger : {};
}

/** What a security scheme is to API Gateway: a Lambda authorizer, another authorizer, or no authorizer (an API key). */
function classifyScheme(name: string, scheme: unknown): Scheme {
  if (!isRecord(scheme)) return undefined;
  const authorizer = scheme['x-amazon-apigateway-authorizer'];
  const authType = lowerField(scheme, 'x-amazon-apigateway-authtype');
  const type = lowerField(authorizer, 'type');
  if (type === 'token' || type === 'request') return { kind: 'lambda', authorizer: name };
  if (type === 'jwt') return { kind: 'other', authorizer: name, type: 'JWT authorizer' };
  if (type === 'cognito_user_pools' || authType === 'cognito_user_pools') return { kind: 'other', authorizer: name, type: 'Cognito user pool authorizer' };
  if (authType === 'awssigv4') return { kind: 'other', authorizer: name, type: 'IAM (SigV4)' };
  return undefined;
}

/** The protection a `security` list gives: any Lambda authorizer in it, else another authorizer, else none. */
function protectionOf(security: unknown, schemes: ReadonlyMap<string, Scheme>): Protection {
  const names = Array.isArray(security) ? security.flatMap((req) => (isRecord(req) ? Object.keys(req) : [])) : [];
  const found = names.map((n) => schemes.get(n)).filter((p): p is Protection => p !== undefined);
  const lambda = found.find((p) => p.kind === 'lambda');
  if (lambda !== undefined) return lambda;
  const other = found.find((p) => p.kind === 'other');
  if (other !== undefined) return other;
  return { kind: 'none', why: names.length > 0 ? `no authorizer (security: ${names.join(', ')})` : 'no authorizer' };
}

/** True for an API Gateway mock integration (what the console and SAM make for CORS preflight). */
function isMock(op: Record<string, unknown>): boolean {
  const integration = op['x-amazon-apigateway-integration'];
  return lowerField(integration, 'type') === 'mock';
}

/** The markers of REST and HTTP APIs in a document. */
export function kindEvidence(doc: Record<string, unknown>): KindEvidence {
  const rest: string[] = [];
  const http: string[] = [];
  const paths = isRecord(doc['paths']) ? doc['paths'] : {};
  if (doc['swagger'] !== undefined) rest.push('swagger 2.0 (HTTP APIs export OpenAPI 3 only)');
  if (doc['x-amazon-apigateway-importexport-version'] !== undefined) http.push('x-amazon-apigateway-importexport-version');
  if (doc['x-amazon-apigateway-cors'] !== undefined) http.push('x-amazon-apigateway-cors');
  for (const key of ['x-amazon-apigateway-gateway-responses', 'x-amazon-apigateway-api-key-source', 'x-amazon-apigateway-request-validators']) {
    if (doc[key] !== undefined) rest.push(key);
  }
  if ('/$default' in paths) http.push('a /$default path');
  for (const [, key, op] of operations(paths)) {
    if (key === 'x-amazon-apigateway-any-method' && op['isDefaultRoute'] === true) http.push('isDefaultRoute');
    const integration = op['x-amazon-apigateway-integration'];
    if (!isRecord(integration)) continue;
    if (integration['payloadFormatVersion'] !== undefined) http.push('integrations with payloadFormatVersion');
    if (lowerField(integration, 'type') === 'mock') rest.push('mock integrations');
    if (integration['passthroughBehavior'] !== undefined) rest.push('integrations with passthroughBehavior');
  }
  for (const scheme of Object.values(schemesOf(doc))) {
    if (!isRecord(scheme)) continue;
    if (scheme['x-amazon-apigateway-authtype'] !== undefined) rest.push('x-amazon-apigateway-authtype');
    const authorizer = scheme['x-amazon-apigateway-authorizer'];
    if (!isRecord(authorizer)) continue;
    const type = lowerField(authorizer, 'type');
    if (type === 'token') rest.push('a TOKEN authorizer');
    if (type === 'jwt') http.push('a JWT authorizer');
    if (authorizer['authorizerPayloadFormatVersion'] !== undefined) http.push('authorizerPayloadFormatVersion');
    const source = typeof authorizer['identitySource'] === 'string' ? authorizer['identitySource'] : '';
    if (source.startsWith('$')) http.push('identitySource $request…');
    if (source.startsWith('method.request.')) rest.push('identitySource method.request…');
  }
  return { rest: [...new Set(rest)], http: [...new Set(http)] };
}

/** The kind of API a document describes, from its markers; `forced` (`--api`) wins. Throws UsageError when unclear. */
export function detectKind(doc: Record<string, unknown>, label: string, forced?: RoutingModel): { kind: RoutingModel; evidence: string } {
  const evidence = kindEvidence(doc);
  if (forced !== undefined) {
    const against = forced === 'rest' ? evidence.http : evidence.rest;
    return { kind: forced, evidence: against.length > 0 ? `--api ${forced} (although the file has ${against.join(', ')})` : `--api ${forced}` };
  }
  if (evidence.rest.length > 0 && evidence.http.length === 0) return { kind: 'rest', evidence: evidence.rest.join(', ') };
  if (evidence.http.length > 0 && evidence.rest.length === 0) return { kind: 'http', evidence: evidence.http.join(', ') };
  const seen = evidence.rest.length === 0 ? 'no marker of either kind' : `REST markers (${evidence.rest.join(', ')}) and HTTP markers (${evidence.http.join(', ')})`;
  throw new UsageError(`cannot tell whether ${label} is a REST or an HTTP API (${seen}); pass --api rest or --api http`);
}

/** Checks the document is OpenAPI or swagger with paths; returns it as a record. */
export function asOpenApi(doc: unknown, label: string): Record<string, unknown> {
  if (!isRecord(doc) || (doc['openapi'] === undefined && doc['swagger'] === undefined) || !isRecord(doc['paths'])) {
    throw new UsageError(`${label} is not an OpenAPI document (it needs "openapi" or "swagger", and "paths")`);
  }
  return doc;
}

/** The routes of one OpenAPI path item. */
function routesOf(path: string, key: string, op: Record<string, unknown>, rootSecurity: unknown, schemes: ReadonlyMap<string, Scheme>, fallback: DefaultSecurity | undefined): ApiRoute {
  const method = OPERATION_KEYS[key] as ApiRoute['method'];
  const where = `paths.${path}.${key}`;
  const isDefault = path === '/$default' || op['isDefaultRoute'] === true;
  const own = op['security'];
  let protection: Protection;
  if (own !== undefined) protection = protectionOf(own, schemes);
  else if (rootSecurity !== undefined) protection = protectionOf(rootSecurity, schemes);
  else if (fallback !== undefined && (method !== 'OPTIONS' || fallback.onPreflight)) protection = fallback.protection;
  else protection = { kind: 'none', why: 'no authorizer' };
  if (method === 'OPTIONS' && protection.kind !== 'lambda' && isMock(op)) protection = { kind: 'none', why: 'CORS preflight (mock integration, no authorizer)' };
  return isDefault ? { method: 'ANY', path: '$default', protection, where, isDefault: true } : { method, path, protection, where };
}

/**
 * The API an OpenAPI document describes: its kind (from markers, or `kind`) and every operation
 * as a route. Path-level `parameters` (HTTP exports name greedy ones `proxy+`) and operation-level
 * ones (REST exports) are not routes and are skipped; the path names the parameters.
 */
export function readOpenApi(
  raw: unknown,
  label: string,
  options: { readonly kind?: RoutingModel; readonly name?: string; readonly fallback?: DefaultSecurity } = {},
): ApiDefinition {
  const doc = asOpenApi(raw, label);
  const { kind, evidence } = detectKind(doc, label, options.kind);
  const schemes = new Map(Object.entries(schemesOf(doc)).map(([name, s]) => [name, classifyScheme(name, s)]));
  const paths = doc['paths'] as Record<string, unknown>;
  const routes = [...operations(paths)].map(([path, key, op]) => routesOf(path, key, op, doc['security'], schemes, options.fallback));
  const notes: string[] = [];
  if (doc['x-amazon-apigateway-cors'] !== undefined) {
    notes.push('x-amazon-apigateway-cors: the HTTP API answers CORS preflight requests itself, without invoking the authorizer');
  }
  const info = doc['info'];
  const title = isRecord(info) && typeof info['title'] === 'string' ? info['title'] : label;
  return { name: options.name ?? title, kind, kindEvidence: evidence, routes, notes };
}
