// A bounded cache in two generations: when the young one is full it becomes the old one and the
// older is dropped at once (deleting a Map's oldest key on every insert makes V8 skip the deleted
// slots each time). A hit in the old generation moves to the young one.

/** A cache of at most about `size` entries. */
export interface Generations<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
}

/** Creates a cache of at most about `size` entries (0 keeps nothing). */
export function createGenerations<V>(size: number): Generations<V> {
  const generation = Math.ceil(size / 2);
  let young = new Map<string, V>();
  let old = new Map<string, V>();
  const set = (key: string, value: V): void => {
    if (generation === 0) return;
    if (young.size >= generation) {
      old = young;
      young = new Map<string, V>();
    }
    young.set(key, value);
  };
  return {
    get(key) {
      const hit = young.get(key);
      if (hit !== undefined) return hit;
      const aged = old.get(key);
      if (aged !== undefined) set(key, aged);
      return aged;
    },
    set,
    delete(key) {
      young.delete(key);
      old.delete(key);
    },
  };
}
