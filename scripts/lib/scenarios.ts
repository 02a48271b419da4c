// events/scenarios.json, read and checked: each scenario names a fixture, the caller whose token fills it, and the expected decision.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isRecord } from '../../src/is-record';

/** Who the token of a scenario is for. */
export interface Caller {
  readonly groups?: readonly string[];
  readonly scopes?: readonly string[];
  readonly tokenUse?: 'access' | 'id';
  readonly expired?: boolean;
  /** A chosen subject (routes bound to `sub`). */
  readonly sub?: string;
  /** Custom claims, string values (routes bound to them, `claim:` grants). */
  readonly claims?: Readonly<Record<string, string>>;
}

export interface Scenario {
  /** The fixture's file name in events/. */
  readonly file: string;
  /** null: the fixture's credential is committed as it is (missing, malformed). */
  readonly caller: Caller | null;
  readonly expect: 'allow' | 'deny' | 'unauthorized';
  /** Authorizer settings this scenario needs beyond events/env.json (SIMPLE_RESPONSES, say). */
  readonly env?: Readonly<Record<string, string>>;
}

const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isStringMap = (v: unknown): boolean => isRecord(v) && Object.values(v).every((s) => typeof s === 'string');

function problemWith(s: unknown, dir: string): string | undefined {
  if (!isRecord(s)) return 'not an object';
  if (typeof s['file'] !== 'string' || !/^[\w.-]+\.json$/.test(s['file'])) return '"file" must be a file name in events/';
  if (!existsSync(path.join(dir, s['file']))) return `events/${s['file']} does not exist`;
  if (!['allow', 'deny', 'unauthorized'].includes(s['expect'] as string)) return '"expect" must be allow, deny or unauthorized';
  if (s['env'] !== undefined && !isStringMap(s['env'])) return '"env" must map names to strings';
  const caller = s['caller'];
  if (caller === null) return undefined;
  if (!isRecord(caller)) return '"caller" must be an object or null';
  if (caller['groups'] !== undefined && !isStrings(caller['groups'])) return '"caller.groups" must be a list of strings';
  if (caller['scopes'] !== undefined && !isStrings(caller['scopes'])) return '"caller.scopes" must be a list of strings';
  if (caller['tokenUse'] !== undefined && caller['tokenUse'] !== 'access' && caller['tokenUse'] !== 'id') return '"caller.tokenUse" must be access or id';
  if (caller['expired'] !== undefined && typeof caller['expired'] !== 'boolean') return '"caller.expired" must be true or false';
  if (caller['sub'] !== undefined && typeof caller['sub'] !== 'string') return '"caller.sub" must be a string';
  if (caller['claims'] !== undefined && !isStringMap(caller['claims'])) return '"caller.claims" must map claim names to strings';
  return undefined;
}

/** The manifest `<dir>/scenarios.json`, every entry checked. Throws Error naming the entry and the problem. */
export function loadScenarios(dir: string): Scenario[] {
  let scenarios: unknown;
  try {
    scenarios = JSON.parse(readFileSync(path.join(dir, 'scenarios.json'), 'utf8'));
  } catch (err) {
    throw new Error(`cannot read events/scenarios.json: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(scenarios)) throw new Error('events/scenarios.json must be a JSON array');
  scenarios.forEach((s, i) => {
    const problem = problemWith(s, dir);
    if (problem !== undefined) throw new Error(`events/scenarios.json entry ${i + 1}: ${problem}`);
  });
  return scenarios as Scenario[];
}

/** The env-vars file `npm run events` writes for a scenario: env.json, or env.<settings>.json for one with settings of its own. */
export function envFileName(scenario: Pick<Scenario, 'env'>): string {
  const settings = Object.entries(scenario.env ?? {}).map(([k, v]) => `${k}-${v}`.toLowerCase().replace(/[^a-z0-9_-]+/g, '-'));
  return settings.length === 0 ? 'env.json' : `env.${settings.join('.')}.json`;
}
