// Loads a built bundle as node itself loads CommonJS (as Lambda's runtime does): not through the TypeScript hook these
// scripts run under, which would lex a 200 KB bundle again on every start (+40 ms for the authorizer).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileFunction } from 'node:vm';

/** The exports of the CommonJS file `file`, compiled and run in this process's context (a `#!` line is skipped, as node does). */
export function loadCommonJs(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const module = { exports: {} as unknown };
  const wrapper = compileFunction(body, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}
