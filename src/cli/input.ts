// Reading the commands' inputs: the rules (a file, ROUTE_RULES, or the bundled config/rules.json)
// validated by the product's own parser, and files with JSON errors located by line and column.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RulesError } from '../errors';
import { compileRules, type CompiledRules, type RuleSet } from '../rules';
import { parseRuleSet } from '../rules/schema';
import { findDuplicateKey, safeJsonParse } from '../safe-json';
import { InvalidRulesError, UsageError, type RulesProblem } from './errors';
import type { Io } from './output';

/** Where the rules came from. */
export type RulesOrigin = 'file' | 'env' | 'bundled';

/** The rules text and where it came from. */
export interface RulesSource {
  readonly origin: RulesOrigin;
  /** For messages: the file as given, `ROUTE_RULES`, or `config/rules.json`. */
  readonly label: string;
  readonly text: string;
}


/** Valid rules, compiled, or the first problem with them. */
export type LoadedRules =
  | { readonly ok: true; readonly source: RulesSource; readonly rules: CompiledRules; readonly ruleSet: RuleSet; readonly doc: unknown }
  | { readonly ok: false; readonly source: RulesSource; readonly problem: RulesProblem };

const PACKAGE_NAME = 'cognito-route-authorizer';
const BUNDLED_RULES = path.join('config', 'rules.json');
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The package's root directory: the nearest parent of this file (src/cli/ when run from source,
 * dist/ when bundled) whose package.json is this package's.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // not a readable manifest: keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) throw new UsageError(`cannot find the ${PACKAGE_NAME} package (its config/rules.json) above ${from}`);
  }
}

/** A file's text; a missing or unreadable file is a usage error naming it. */
export function readTextFile(file: string, io: Io, what: string): string {
  const full = path.resolve(io.cwd, file);
  try {
    return readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${what} "${file}": ${why}`);
  }
}

/** The rules to use: `--rules FILE`, else ROUTE_RULES when set (as the authorizer reads it), else the bundled file. */
export function readRulesSource(file: string | undefined, io: Io): RulesSource {
  if (file !== undefined) return { origin: 'file', label: file, text: readTextFile(file, io, 'rules file') };
  const inline = io.env['ROUTE_RULES'];
  if (inline !== undefined && inline.trim() !== '') return { origin: 'env', label: 'ROUTE_RULES', text: inline };
  const bundled = path.join(packageRoot(), BUNDLED_RULES);
  return { origin: 'bundled', label: 'config/rules.json', text: readTextFile(bundled, io, 'bundled rules') };
}

/** `line L, column C` of a character offset in a text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1] ?? '').length + 1}`;
}

/** A scanner that throws the offset where the text stops being JSON. */
function jsonScanner(text: string) {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail();
    i++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const scalar = (): void => {
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text) === null) fail();
    i = NUMBER.lastIndex;
  };
  const string = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    expect('"');
  };
  const items = (close: string, item: () => void): void => {
    i++;
    skipSpace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      if (text[i] === ',') i++;
      else return expect(close);
    }
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      items('}', () => {
        skipSpace();
        string();
        skipSpace();
        expect(':');
        value();
      });
    } else if (c === '[') items(']', value);
    else if (c === '"') string();
    else scalar();
  };
  return {
    run(): void {
      value();
      skipSpace();
      if (i < text.length) fail();
    },
  };
}

/** Where a JSON text breaks (thrown inside the scanner only). */
class JsonSyntaxAt extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`invalid JSON at ${offset}`);
    this.offset = offset;
  }
}

/**
 * The offset of the first character that makes the text invalid JSON (the text's length when it
 * ends too soon), or undefined when it is valid or too deeply nested to scan.
 */
export function jsonErrorOffset(text: string): number | undefined {
  try {
    jsonScanner(text).run();
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxAt) return err.offset;
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/**
 * Parses JSON text, or throws UsageError naming the file and where the syntax breaks (line and
 * column, found by a scanner: Node's JSON.parse does not always give a position).
 */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const offset = jsonErrorOffset(text);
    if (offset === undefined) throw new UsageError(`${label} is not valid JSON: ${(err as Error).message}`);
    const what = offset >= text.length ? 'the text ends too soon' : `unexpected ${JSON.stringify(text[offset])}`;
    throw new UsageError(`${label} is not valid JSON (${lineAndColumn(text, offset)}): ${what}`);
  }
}

/** The JSON path of the first key that safeJsonParse refuses (`__proto__`, `constructor`, `prototype`). */
function forbiddenKeyPath(value: unknown, at: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], `${at}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const here = at === '' ? key : `${at}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) return here;
      const found = forbiddenKeyPath(item, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * What safeJsonParse refuses in JSON that parses: a duplicated key or a prototype key, located by
 * JSON path. Undefined when safeJsonParse accepts the text.
 */
function refusedByJsonSafety(text: string, plain: unknown): RulesProblem | undefined {
  try {
    safeJsonParse(text);
    return undefined;
  } catch (err) {
    const duplicate = findDuplicateKey(text);
    if (duplicate !== undefined) {
      const setting = duplicate.path === 'the top level' ? 'rules' : duplicate.path;
      return { setting, message: `duplicate key "${duplicate.key}": JSON keeps only the last one, so the rules would be ambiguous` };
    }
    const setting = forbiddenKeyPath(plain, '') ?? 'rules';
    return { setting, message: `${(err as Error).message} (a prototype key could pollute objects)` };
  }
}

/**
 * Reads and validates rules with the product's own code (safeJsonParse, then compileRules).
 * Unparsable JSON is a UsageError; a duplicated key or a schema problem is a RulesProblem.
 */
export function loadRules(source: RulesSource): LoadedRules {
  const plain = parseJsonText(source.text, source.label);
  const refused = refusedByJsonSafety(source.text, plain);
  if (refused !== undefined) return { ok: false, source, problem: refused };
  try {
    return { ok: true, source, rules: compileRules(plain), ruleSet: parseRuleSet(plain), doc: plain };
  } catch (err) {
    if (err instanceof RulesError) {
      return { ok: false, source, problem: { setting: err.setting, message: err.message.slice(err.setting.length + 2) } };
    }
    throw err;
  }
}

/** Valid rules or a problem the caller reports as exit 1 (explain and matrix cannot run on invalid rules). */
export function requireRules(loaded: LoadedRules): Extract<LoadedRules, { ok: true }> {
  if (loaded.ok) return loaded;
  throw new InvalidRulesError(loaded.source.label, loaded.problem);
}
