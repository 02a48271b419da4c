// JSON parsing for configuration text: refuses prototype-polluting keys instead of trusting them.

/** Parses JSON and rejects `__proto__`, `constructor` and `prototype` keys anywhere. */
export function safeJsonParse(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new SyntaxError(`key "${key}" is not allowed`);
    }
    return value;
  });
}
