/** A JSON object: not null, not an array. Events, headers, rules files and templates are checked with it. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
