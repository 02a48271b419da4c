// JSON parsing for configuration text: refuses prototype-polluting keys and duplicated keys
// (JSON.parse keeps the last of two equal keys silently; in rules that would be ambiguous).

type Frame = { kind: 'object'; keys: Set<string>; key: string | undefined; expectKey: boolean } | { kind: 'array'; index: number };

function pathOf(stack: readonly Frame[]): string {
  let path = '';
  for (const frame of stack.slice(0, -1)) {
    if (frame.kind === 'array') path += `[${frame.index}]`;
    else path += path === '' ? (frame.key ?? '') : `.${frame.key ?? ''}`;
  }
  return path === '' ? 'the top level' : path;
}

/** The end index of the JSON string starting at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

/**
 * The first key that appears twice in one object of a valid JSON text, with the JSON path of
 * that object (`routes[1]`, or `the top level`), or undefined.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, path: pathOf(stack) };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      stack.push({ kind: 'object', keys: new Set(), key: undefined, expectKey: true });
    } else if (c === '[') {
      stack.push({ kind: 'array', index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top !== undefined) {
      if (top.kind === 'object') top.expectKey = true;
      else top.index++;
    }
  }
  return undefined;
}

/** Parses JSON; rejects `__proto__`, `constructor` and `prototype` keys anywhere, and duplicated keys. */
export function safeJsonParse(text: string): unknown {
  const value: unknown = JSON.parse(text, (key, v: unknown) => {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new SyntaxError(`key "${key}" is not allowed`);
    }
    return v;
  });
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) throw new SyntaxError(`duplicate key "${duplicate.key}" in ${duplicate.path}`);
  return value;
}
