// API Gateway's authorizer result cache: answers kept per cache key for a TTL, bounded, oldest dropped first.

export interface ResultCache<T> {
  readonly size: number;
  get(key: string, now?: number): T | undefined;
  set(key: string, result: T, now?: number): void;
}

/** A cache that keeps answers `ttlSeconds` (0: keeps nothing) and at most `maxEntries` of them. */
export function createResultCache<T>(ttlSeconds: number, maxEntries = 10_000): ResultCache<T> {
  const entries = new Map<string, { result: T; expires: number }>();
  return {
    get size() {
      return entries.size;
    },
    get(key, now = Date.now()) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires <= now) {
        entries.delete(key);
        return undefined;
      }
      return entry.result;
    },
    set(key, result, now = Date.now()) {
      if (ttlSeconds <= 0) return;
      entries.delete(key);
      const oldest = entries.keys().next();
      if (entries.size >= maxEntries && oldest.done !== true) entries.delete(oldest.value);
      entries.set(key, { result, expires: now + ttlSeconds * 1000 });
    },
  };
}
