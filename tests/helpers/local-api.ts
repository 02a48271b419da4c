// Runs the scripts (`npm start`, `npm run token`, `npm run events`, `npm run smoke`) as child processes for the tests, as package.json runs them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths';
import { startChild, waitForOutput, type Child } from './processes';

/** The scripts `npm run` starts, by file name under scripts/. */
export type Script = 'local-api.ts' | 'token.ts' | 'events.ts' | 'rules.ts' | 'smoke.ts';

/** node's arguments to run a script as package.json does: `node --require tsx/cjs scripts/<name>`. */
export function scriptArgs(script: Script, args: readonly string[] = []): string[] {
  const file = path.join(ROOT, 'scripts', script);
  return script.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs'), file, ...args] : [file, ...args];
}

/** Settings a developer's shell may hold that would change what the scripts do. */
const INHERITED_SETTINGS = [
  'PORT',
  'AUTHORIZER_TYPE',
  'AUTHORIZER_TTL',
  'USER_POOL_IDS',
  'CLIENT_IDS',
  'TOKEN_USE',
  'ROUTE_RULES',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
  'LOCAL_ISSUER_DIR',
  'SIMPLE_RESPONSES',
  'CORS_ALLOW_ORIGIN',
];

/** The test process's environment without the settings above, plus `env`. */
export function cleanEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_SETTINGS) delete base[name];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

export interface LocalApi {
  readonly child: Child;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<number | null>;
}

/** Starts the local API (PORT=0 unless given) and waits for its banner (bounded). */
export async function startLocalApi(env: Record<string, string | undefined> = {}, args: readonly string[] = []): Promise<LocalApi> {
  const child = startChild(process.execPath, scriptArgs('local-api.ts', args), { cwd: ROOT, env: cleanEnv({ PORT: '0', ...env }) });
  let match: RegExpMatchArray;
  try {
    match = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:(\d+))/, 30_000);
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
  return { child, url: match[1] as string, port: Number(match[2]), stop: () => child.stop('SIGTERM') };
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script to completion (bounded) and returns its exit code and output. */
export function runScript(script: Script, args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      scriptArgs(script, args),
      { cwd: ROOT, env: cleanEnv(env), timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `npm run --silent token -- <args>` with the issuer key in `issuerDir`: the printed JWT. */
export async function mintToken(issuerDir: string, args: readonly string[] = []): Promise<string> {
  const run = await runScript('token.ts', args, { LOCAL_ISSUER_DIR: issuerDir });
  if (run.code !== 0) throw new Error(`token.ts ${args.join(' ')} exited ${String(run.code)}: ${run.stderr}`);
  return run.stdout.trim();
}
