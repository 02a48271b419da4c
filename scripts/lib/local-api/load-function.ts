// Loads a built function as Lambda's Node.js runtime does: a CommonJS module, run by node itself (not through the
// TypeScript hook this script runs under, which would re-read a 200 KB bundle on every start).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileFunction } from 'node:vm';

/** The exports of the CommonJS file `file`, compiled and run in this process's context. */
export function loadCommonJs(file: string): unknown {
  const module = { exports: {} as unknown };
  const wrapper = compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}
