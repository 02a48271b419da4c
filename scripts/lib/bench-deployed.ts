// Bench helper: the authorizer as template.yaml deploys it — the esbuild options of its BuildProperties, the NODE_OPTIONS
// `sam build` sets for them, and whether Powertools Tracer (the X-Ray SDK) loads. Pure: tests/unit/bench-targets.test.ts.
import type { BuildOptions } from 'esbuild';
import { sharedOptions } from '../build-options';
import { functionSetting, type Template } from '../../tests/helpers/template';

/** The authorizer function's logical id in template.yaml. */
export const AUTHORIZER_ID = 'AuthorizerFunction';

export interface Deployment {
  /** BuildProperties.Sourcemap: `sam build` then writes a map and sets NODE_OPTIONS=--enable-source-maps. */
  readonly sourcemap: boolean;
  /** NODE_OPTIONS in the function's environment (what `sam build` adds, and any the template sets itself). */
  readonly nodeOptions: string | undefined;
  /** Lambda's own tracing: `Tracing: Active` (the function's segments, no code in the function). */
  readonly activeTracing: boolean;
  /** POWERTOOLS_TRACE_ENABLED as the template sets it (undefined: not set, which Tracer reads as true). */
  readonly traceEnabled: string | undefined;
  /** Powertools Tracer and the X-Ray SDK load at init and record subsegments (src/tracing.ts tracingWanted, in Lambda). */
  readonly tracerLoads: boolean;
  /** esbuild options as `sam build` uses them: npm run build's, with the template's BuildProperties. */
  readonly buildOptions: BuildOptions;
}

/** How template.yaml deploys the authorizer. Throws when the template has no such function. */
export function deploymentOf(template: Template): Deployment {
  const fn = template.Resources[AUTHORIZER_ID];
  if (fn === undefined) throw new Error(`template.yaml has no ${AUTHORIZER_ID}`);
  const props = (fn.Metadata?.['BuildProperties'] ?? {}) as Record<string, unknown>;
  const variables = ((functionSetting(template, AUTHORIZER_ID, 'Environment') as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
  const sourcemap = props['Sourcemap'] === true;
  const own = typeof variables['NODE_OPTIONS'] === 'string' ? variables['NODE_OPTIONS'] : undefined;
  const nodeOptions = [own, sourcemap ? '--enable-source-maps' : undefined].filter((o) => o !== undefined && o !== '').join(' ') || undefined;
  const traceEnabled = typeof variables['POWERTOOLS_TRACE_ENABLED'] === 'string' ? variables['POWERTOOLS_TRACE_ENABLED'] : undefined;
  return {
    sourcemap,
    nodeOptions,
    activeTracing: functionSetting(template, AUTHORIZER_ID, 'Tracing') === 'Active',
    traceEnabled,
    tracerLoads: traceEnabled?.toLowerCase() !== 'false',
    buildOptions: {
      ...sharedOptions,
      format: (props['Format'] as BuildOptions['format']) ?? sharedOptions.format,
      target: (props['Target'] as string | undefined) ?? sharedOptions.target,
      minify: props['Minify'] === true,
      sourcemap,
      external: (props['External'] as string[] | undefined) ?? [...sharedOptions.external],
    },
  };
}
