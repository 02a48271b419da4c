// The sample backend's pet store: an in-memory list per function instance, and the check of a new pet.

/** A pet as the API answers it. */
export interface Pet {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** The `sub` of the caller who created it; seeded pets have none. */
  readonly createdBy?: string;
}

/** What POST /pets accepts, after validation. */
export interface NewPet {
  readonly name: string;
  readonly type: string;
}

/** The pets every fresh function instance starts with. */
export const SEED_PETS: readonly Pet[] = [
  { id: '1', name: 'Biscuit', type: 'dog' },
  { id: '2', name: 'Mittens', type: 'cat' },
  { id: '3', name: 'Bubbles', type: 'fish' },
];

/** Limits on what a caller may store: the list lives in the function's memory. */
export const LIMITS = { maxPets: 1000, maxNameLength: 100, maxTypeLength: 40 } as const;

/** A pet list in memory: one per backend instance, lost when Lambda recycles the instance. */
export class PetStore {
  private readonly pets = new Map<string, Pet>();
  private nextId = 1;

  constructor(seed: readonly Pet[] = SEED_PETS) {
    for (const pet of seed) this.insert({ ...pet });
  }

  get size(): number {
    return this.pets.size;
  }

  /** Every pet, in creation order. */
  list(): Pet[] {
    return [...this.pets.values()];
  }

  get(id: string): Pet | undefined {
    return this.pets.get(id);
  }

  /** Stores a new pet under the next free id; undefined when the store is full. */
  add(pet: NewPet, createdBy: string | undefined): Pet | undefined {
    if (this.pets.size >= LIMITS.maxPets) return undefined;
    const stored: Pet = { id: String(this.nextId), name: pet.name, type: pet.type, ...(createdBy ? { createdBy } : {}) };
    this.insert(stored);
    return stored;
  }

  /** Removes the pet; false when there was none with that id. */
  remove(id: string): boolean {
    return this.pets.delete(id);
  }

  private insert(pet: Pet): void {
    this.pets.set(pet.id, pet);
    const numeric = Number(pet.id);
    if (Number.isSafeInteger(numeric) && numeric >= this.nextId) this.nextId = numeric + 1;
  }
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * Checks a parsed POST /pets body: an object with `name` (a non-empty string, trimmed, at most
 * LIMITS.maxNameLength characters) and an optional `type` (a string, default "unknown").
 * Other fields are ignored. The message says what to fix.
 */
export function checkNewPet(body: unknown): Checked<NewPet> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'the body must be a JSON object like {"name": "Rex", "type": "dog"}' };
  }
  const fields = body as Record<string, unknown>;
  const name = Object.hasOwn(fields, 'name') ? fields['name'] : undefined;
  if (typeof name !== 'string' || name.trim() === '') {
    return { ok: false, message: 'name is required and must be a non-empty string' };
  }
  if (name.trim().length > LIMITS.maxNameLength) {
    return { ok: false, message: `name must be at most ${LIMITS.maxNameLength} characters` };
  }
  const type = Object.hasOwn(fields, 'type') ? fields['type'] : undefined;
  if (type !== undefined && (typeof type !== 'string' || type.trim() === '' || type.trim().length > LIMITS.maxTypeLength)) {
    return { ok: false, message: `type, when given, must be a non-empty string of at most ${LIMITS.maxTypeLength} characters` };
  }
  return { ok: true, value: { name: name.trim(), type: type === undefined ? 'unknown' : type.trim() } };
}
