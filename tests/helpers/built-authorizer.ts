// The built authorizer (dist/authorizer.js) in its own child process, configured by environment as in Lambda.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { functions } from '../../scripts/build-options';
import { ROOT } from '../../scripts/lib/paths';
import { cleanEnv } from './local-api';

export type BuiltOutcome =
  | { readonly kind: 'answer'; readonly result: APIGatewayAuthorizerResult }
  | { readonly kind: 'error'; readonly message: string };

export interface BuiltAuthorizer {
  /** Invokes the handler with one event; bounded by `timeoutMs`. */
  invoke(event: unknown, timeoutMs?: number): Promise<BuiltOutcome>;
  /** What the authorizer logged so far. */
  logs(): string;
  stop(): Promise<void>;
}

type Message =
  | { type: 'ready' }
  | { type: 'failed'; name: string; message: string }
  | { type: 'answer'; id: number; result?: APIGatewayAuthorizerResult; error?: string };

const alive = new Set<ChildProcess>();
process.once('exit', () => alive.forEach((c) => c.kill('SIGKILL')));

/**
 * Forks a process that requires dist/authorizer.js with `env` (one process per configuration:
 * the module reads its environment once, at load). Rejects when the cold start fails.
 */
export async function startBuiltAuthorizer(env: Record<string, string>): Promise<BuiltAuthorizer> {
  const child = fork(path.join(__dirname, 'built-authorizer-child.cjs'), [path.join(ROOT, functions.authorizer.outfile)], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  let logs = '';
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const pending = new Map<number, (outcome: BuiltOutcome) => void>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the built authorizer did not start within 15 s:\n${logs}`)), 15_000);
    child.on('message', (msg: Message) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (msg.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`the built authorizer failed its cold start: ${msg.name}: ${msg.message}`));
      } else if (msg.type === 'answer') {
        pending.get(msg.id)?.(msg.error === undefined ? { kind: 'answer', result: msg.result as APIGatewayAuthorizerResult } : { kind: 'error', message: msg.error });
        pending.delete(msg.id);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the built authorizer exited (${String(code)}):\n${logs}`));
    });
  });
  return {
    invoke(event, timeoutMs = 10_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        });
        child.send({ id, event });
      });
    },
    logs: () => logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
