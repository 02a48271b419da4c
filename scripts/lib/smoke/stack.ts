// Stack outputs: CloudFormation DescribeStacks, and what a cognito-route-authorizer stack's outputs and parameters tell the smoke.
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { awsFailure, oneLine, SmokeConfigError } from './errors';

/** The template's outputs the smoke reads (template.yaml, Outputs). */
export const OUTPUTS = { restUrl: 'ApiUrl', httpUrl: 'HttpApiUrl', userPoolId: 'UserPoolId', clientId: 'UserClientId' } as const;

/** The template's parameters the smoke reads (template.yaml, Parameters). */
export const PARAMETERS = {
  deployMode: 'DeployMode',
  ownPool: 'UserPoolId',
  tokenUse: 'TokenUse',
  rules: 'RouteRules',
  corsOrigin: 'CorsAllowOrigin',
  ttl: 'AuthorizerResultTtl',
} as const;

/** Stack states whose outputs describe what is deployed (a failed create or a delete leaves nothing to smoke). */
const USABLE_STATES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

/** A stack as DescribeStacks describes it: name, state, outputs and parameters by key. */
export interface StackFacts {
  readonly name: string;
  readonly region: string;
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
}

/** What a stack gives the smoke; each field is absent when the stack does not say. */
export interface FromStack {
  readonly restUrl?: string;
  readonly httpUrl?: string;
  readonly userPoolId?: string;
  readonly clientId?: string;
  readonly tokenUse?: string;
  /** RouteRules, when the stack sets inline rules (empty = the bundled ones). */
  readonly rulesText?: string;
  readonly corsOrigin?: string;
  readonly ttlSeconds?: number;
}

/** The SDK's Stack as StackFacts. */
export function stackFacts(stack: Stack, region: string): StackFacts {
  const outputs: Record<string, string> = {};
  for (const o of stack.Outputs ?? []) if (o.OutputKey !== undefined && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
  const parameters: Record<string, string> = {};
  for (const p of stack.Parameters ?? []) if (p.ParameterKey !== undefined) parameters[p.ParameterKey] = p.ResolvedValue ?? p.ParameterValue ?? '';
  return { name: stack.StackName ?? '', region, status: stack.StackStatus ?? 'UNKNOWN', outputs, parameters };
}

const present = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** What the stack's outputs and parameters say. Throws SmokeConfigError when the stack is in no state to smoke. */
export function readStack(facts: StackFacts): FromStack {
  if (!USABLE_STATES.has(facts.status)) {
    throw new SmokeConfigError(`stack ${facts.name} is ${facts.status}: nothing deployed to smoke (wait for it, or fix the deployment)`);
  }
  const { outputs: o, parameters: p } = facts;
  const ttl = present(p[PARAMETERS.ttl]);
  return {
    restUrl: present(o[OUTPUTS.restUrl]),
    httpUrl: present(o[OUTPUTS.httpUrl]),
    userPoolId: present(o[OUTPUTS.userPoolId]),
    clientId: present(o[OUTPUTS.clientId]),
    tokenUse: present(p[PARAMETERS.tokenUse]),
    rulesText: present(p[PARAMETERS.rules]),
    corsOrigin: present(p[PARAMETERS.corsOrigin]),
    ttlSeconds: ttl !== undefined && /^\d+$/.test(ttl) ? Number(ttl) : undefined,
  };
}

/** What a run needs that neither the stack nor the flags gave. */
export type Missing = 'api' | 'userPoolId' | 'clientId';

const outputList = (facts: StackFacts): string => Object.keys(facts.outputs).sort().join(', ') || 'none';

/** Why the stack lacks `missing`, and what to pass instead: one message for a person. */
export function explainMissing(facts: StackFacts, missing: Missing): string {
  const stack = `stack ${facts.name}`;
  if (missing === 'api') {
    if (facts.parameters[PARAMETERS.deployMode] === 'authorizer-only') {
      return (
        `${stack} was deployed with DeployMode=authorizer-only: the authorizer alone, no sample API to smoke. ` +
        'Test the APIs you attached it to yourself, or deploy it with a DeployMode that has a sample API, or give --api-url / --http-api-url.'
      );
    }
    return `${stack} has no ${OUTPUTS.restUrl} or ${OUTPUTS.httpUrl} output (outputs: ${outputList(facts)}): is it a cognito-route-authorizer stack with a sample API? Give --api-url or --http-api-url.`;
  }
  if (missing === 'userPoolId') {
    return `${stack} has no ${OUTPUTS.userPoolId} output (outputs: ${outputList(facts)}): give --user-pool-id.`;
  }
  const ownPool = present(facts.parameters[PARAMETERS.ownPool]);
  if (ownPool !== undefined) {
    return (
      `${stack} trusts your own user pool (parameter UserPoolId=${ownPool}), so it has no demo app client (output ${OUTPUTS.clientId}): ` +
      'give --client-id, an app client of that pool without a secret that allows USER_PASSWORD_AUTH. The smoke then creates and deletes ' +
      'its users in that pool, whose groups must include admins, readers and suspended.'
    );
  }
  return `${stack} has no ${OUTPUTS.clientId} output (outputs: ${outputList(facts)}): give --client-id.`;
}

/** The message for a DescribeStacks failure. */
function describeFailure(err: unknown, name: string, region: string): string {
  switch (awsFailure(err)) {
    case 'region':
      return 'no AWS region for CloudFormation: pass --region or set AWS_REGION';
    case 'credentials':
      return `no usable AWS credentials (${oneLine(err)}): set up a profile, SSO or the environment variables, then run again`;
    case 'permission':
      return `not allowed to read stack ${name} in ${region}: the smoke needs cloudformation:DescribeStacks on it (${oneLine(err)})`;
    default:
      return `cannot read stack ${name} in ${region}: ${oneLine(err)}`;
  }
}

/** Reads stack `name` (DescribeStacks). Throws SmokeConfigError with a message for a person. */
export async function describeStack(name: string, region: string | undefined, signal: AbortSignal): Promise<StackFacts> {
  const client = new CloudFormationClient({ ...(region === undefined ? {} : { region }), maxAttempts: 3, requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 } });
  let where = region ?? 'the default region';
  try {
    where = await client.config.region();
    const answer = await client.send(new DescribeStacksCommand({ StackName: name }), { abortSignal: signal });
    const stack = answer.Stacks?.[0];
    if (stack === undefined) throw new SmokeConfigError(`no stack ${name} in ${where}`);
    return stackFacts(stack, where);
  } catch (err) {
    if (err instanceof SmokeConfigError || signal.aborted) throw err;
    throw new SmokeConfigError(describeFailure(err, name, where));
  } finally {
    client.destroy();
  }
}
