// template.yaml as data: parsed with CloudFormation's short-form tags (!Ref, !Sub, !If …) as their long forms,
// the tags the rules tool reads templates with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CLOUDFORMATION_TAGS } from '../../src/cli/sam-template';
import { functions, sharedOptions } from '../../scripts/build-options';
import { ROOT } from '../../scripts/lib/paths';

export { ROOT };
export const TEMPLATE_PATH = path.join(ROOT, 'template.yaml');

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
  return parse(templateText(), { customTags: CLOUDFORMATION_TAGS }) as Template;
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
