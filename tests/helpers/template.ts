// template.yaml as data: parsed with CloudFormation's short-form tags (!Ref, !Sub, !If …) as their long forms.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type YAMLMap, type YAMLSeq } from 'yaml';
import { functions, sharedOptions } from '../../scripts/build-options';
import { ROOT } from '../../scripts/lib/paths';

export { ROOT };
export const TEMPLATE_PATH = path.join(ROOT, 'template.yaml');

type Node = YAMLMap | YAMLSeq;

/** A short-form tag on a scalar: `!Ref X` → `{ Ref: 'X' }`. */
const scalar = (name: string, fn: string, value: (text: string) => unknown = (text) => text) => ({
  tag: `!${name}`,
  resolve: (text: string) => ({ [fn]: value(text) }),
});
/** A short-form tag on a list or map: `!If [a, b, c]` → `{ 'Fn::If': [a, b, c] }`. */
const collection = (name: string, fn: string, kind: 'seq' | 'map') => ({
  tag: `!${name}`,
  collection: kind,
  resolve: (node: Node) => ({ [fn]: node.toJSON() as unknown }),
});

const SEQ_FUNCTIONS = ['And', 'Equals', 'If', 'Not', 'Or', 'FindInMap', 'Join', 'Select', 'Split', 'Sub', 'GetAtt', 'Cidr', 'GetAZs', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'ValueOfAll', 'RefAll', 'ValueOf', 'Length', 'ToJsonString'];
const SCALAR_FUNCTIONS = ['Sub', 'Base64', 'ImportValue', 'GetAZs'];

const CUSTOM_TAGS = [
  scalar('Ref', 'Ref'),
  scalar('Condition', 'Condition'),
  // `!GetAtt Resource.Attribute` is the list [Resource, Attribute].
  scalar('GetAtt', 'Fn::GetAtt', (text) => {
    const dot = text.indexOf('.');
    return [text.slice(0, dot), text.slice(dot + 1)];
  }),
  ...SCALAR_FUNCTIONS.map((name) => scalar(name, `Fn::${name}`)),
  ...SEQ_FUNCTIONS.map((name) => collection(name, `Fn::${name}`, 'seq')),
  collection('Base64', 'Fn::Base64', 'map'),
  collection('ImportValue', 'Fn::ImportValue', 'map'),
  collection('Transform', 'Fn::Transform', 'map'),
  collection('ToJsonString', 'Fn::ToJsonString', 'map'),
];

export interface Resource {
  Type: string;
  Condition?: string;
  Metadata?: Record<string, unknown>;
  Properties?: Record<string, unknown>;
}

export interface Parameter {
  Type: string;
  Default?: string | number;
  Description?: string;
  AllowedValues?: (string | number)[];
  AllowedPattern?: string;
}

export interface Template {
  Globals?: { Function?: Record<string, unknown>; Api?: Record<string, unknown> };
  Parameters: Record<string, Parameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Condition?: string; Description?: string }>;
}

/** template.yaml's text. */
export function templateText(): string {
  return readFileSync(TEMPLATE_PATH, 'utf8');
}

/** template.yaml parsed, intrinsic functions in their long (JSON) forms. */
export function loadTemplate(): Template {
  return parse(templateText(), { customTags: CUSTOM_TAGS }) as Template;
}

/** A function's setting, from its Properties or else from Globals.Function (as SAM merges them). */
export function functionSetting(template: Template, logicalId: string, name: string): unknown {
  const own = template.Resources[logicalId]?.Properties?.[name];
  return own !== undefined ? own : template.Globals?.Function?.[name];
}

export interface BuildOptions {
  sharedOptions: Record<string, unknown>;
  functions: Record<string, { entry: string; outfile: string }>;
}

/** scripts/build-options.ts: the esbuild options `npm run build` uses. */
export function loadBuildOptions(): BuildOptions {
  return { sharedOptions: { ...sharedOptions }, functions: { ...functions } };
}
