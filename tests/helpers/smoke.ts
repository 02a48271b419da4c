// `npm run smoke` as the integration tests run it: against moto_server's pool and `npm start`, with the secrets moto saw, to look for in its output.
import { createServer, type Server, type Socket } from 'node:net';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { cleanEnv, runScript, scriptArgs, type Run } from './local-api';
import { REGION, type DemoPool, type Moto } from './moto';
import { startChild, type Child } from './processes';
import { ROOT } from '../../scripts/lib/paths';

/** The demo users' name prefix (scripts/lib/smoke/users.ts). */
export const SMOKE_PREFIX = 'cra-smoke-';

/** The environment of a smoke run against moto: dummy credentials, no profile, CloudFormation at moto too. */
export function smokeEnv(moto: Moto): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_CLOUDFORMATION: moto.endpoint,
  };
}

/** The flags that point a run at `pool` (through moto) and at the given APIs. */
export function smokeFlags(moto: Moto, pool: DemoPool, apis: { rest?: string; http?: string }): string[] {
  return [
    ...(apis.rest === undefined ? [] : ['--api-url', apis.rest]),
    ...(apis.http === undefined ? [] : ['--http-api-url', apis.http]),
    '--user-pool-id',
    pool.poolId,
    '--client-id',
    pool.clientId,
    '--endpoint',
    moto.endpoint,
  ];
}

/** `npm run smoke -- <args>` to completion (bounded, 20 s). */
export function runSmoke(moto: Moto, args: readonly string[]): Promise<Run> {
  return runScript('smoke.ts', args, smokeEnv(moto));
}

/** `npm run smoke -- <args>` as a running child, for the tests that interrupt it. */
export function startSmoke(moto: Moto, args: readonly string[]): Child {
  return startChild(process.execPath, scriptArgs('smoke.ts', args), { cwd: ROOT, env: cleanEnv(smokeEnv(moto)) });
}

interface MotoUser {
  readonly username?: string;
  readonly password?: string;
}
interface MotoPool {
  readonly id?: string;
  readonly access_tokens?: Record<string, unknown>;
  readonly id_tokens?: Record<string, unknown>;
  readonly refresh_tokens?: Record<string, unknown>;
}

/**
 * Every password moto holds for a demo user and every token it issued in `poolId` (moto keeps them,
 * deleted users included, in /moto-api/data.json): what no smoke output may contain.
 */
export async function secretsMotoSaw(moto: Moto, poolId: string): Promise<{ passwords: string[]; tokens: string[] }> {
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(10_000) });
  const data = (await res.json()) as { cognitoidp?: { CognitoIdpUser?: MotoUser[]; CognitoIdpUserPool?: MotoPool[] } };
  const users = data.cognitoidp?.CognitoIdpUser ?? [];
  const passwords = users.filter((u) => u.username?.startsWith(SMOKE_PREFIX) && typeof u.password === 'string').map((u) => u.password as string);
  const pool = (data.cognitoidp?.CognitoIdpUserPool ?? []).find((p) => p.id === poolId);
  const tokens = [pool?.access_tokens, pool?.id_tokens, pool?.refresh_tokens].flatMap((m) => Object.keys(m ?? {}));
  return { passwords, tokens };
}

/** How long a run of a secret's characters must be to count as a leak. */
const LEAK_RUN = 20;

/** Every run of LEAK_RUN characters in `text`. */
function runsOf(text: string): Set<string> {
  const runs = new Set<string>();
  for (let i = 0; i + LEAK_RUN <= text.length; i++) runs.add(text.slice(i, i + LEAK_RUN));
  return runs;
}

/**
 * The secrets `output` shows any part of (LEAK_RUN characters in a row or more): passwords whole,
 * tokens without their header (the same for every token of the pool, and no secret).
 */
export function leakedSecrets(output: string, secrets: { passwords: readonly string[]; tokens: readonly string[] }): string[] {
  const runs = runsOf(output);
  const shows = (secret: string): boolean => [...runsOf(secret)].some((run) => runs.has(run));
  const leakedPasswords = secrets.passwords.filter(shows).map((_, i) => `password #${i + 1}`);
  const leakedTokens = secrets.tokens.filter((t) => shows(t.slice(t.indexOf('.') + 1))).map((t) => `token …${t.slice(-6)}`);
  return [...leakedPasswords, ...leakedTokens];
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers: an API that hangs. */
export async function startBlackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A stack in moto's CloudFormation with these outputs and parameters (one placeholder resource: moto creates no Cognito or API). */
export async function createFakeStack(moto: Moto, name: string, outputs: Record<string, string>, parameters: Record<string, string>): Promise<void> {
  const client = new CloudFormationClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  const template = {
    Parameters: Object.fromEntries(Object.keys(parameters).map((k) => [k, { Type: 'String' }])),
    Resources: { Placeholder: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { Value: v }])),
  };
  try {
    await client.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: JSON.stringify(template),
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      }),
    );
  } finally {
    client.destroy();
  }
}
