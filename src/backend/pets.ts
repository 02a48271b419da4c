// The sample backend's pet store: an in-memory list per function instance, and the check of a new pet.
import { boundValue, MAX_BOUND_VALUE_LENGTH } from '../rules/signature';

/** A pet as the API answers it. */
export interface Pet {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** The `sub` of the caller who created it; seeded pets have none. */
  readonly createdBy?: string;
  /** The `sub` of the user the pet belongs to (GET /users/{userId}/pets): the creator unless given. */
  readonly ownerId?: string;
  /** The tenant the pet belongs to (GET /tenants/{tenantId}/pets), as in the `custom:tenant_id` claim. */
  readonly tenantId?: string;
}

/** What POST /pets accepts, after validation. */
export interface NewPet {
  readonly name: string;
  readonly type: string;
  readonly ownerId?: string;
  readonly tenantId?: string;
}

/**
 * The pets every fresh function instance starts with: two of tenant "acme", one of "globex" (give a
 * demo user `custom:tenant_id=acme` to see them); none has an owner until someone creates one.
 */
export const SEED_PETS: readonly Pet[] = [
  { id: '1', name: 'Biscuit', type: 'dog', tenantId: 'acme' },
  { id: '2', name: 'Mittens', type: 'cat', tenantId: 'acme' },
  { id: '3', name: 'Bubbles', type: 'fish', tenantId: 'globex' },
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

  /** The pets that belong to the user `ownerId`, in creation order. */
  ownedBy(ownerId: string): Pet[] {
    return this.list().filter((pet) => pet.ownerId === ownerId);
  }

  /** The pets of the tenant `tenantId`, in creation order. */
  ofTenant(tenantId: string): Pet[] {
    return this.list().filter((pet) => pet.tenantId === tenantId);
  }

  /** Stores a new pet under the next free id, owned by `pet.ownerId` or else its creator; undefined when the store is full. */
  add(pet: NewPet, createdBy: string | undefined): Pet | undefined {
    if (this.pets.size >= LIMITS.maxPets) return undefined;
    const ownerId = pet.ownerId ?? createdBy;
    const stored: Pet = {
      id: String(this.nextId),
      name: pet.name,
      type: pet.type,
      ...(createdBy ? { createdBy } : {}),
      ...(ownerId ? { ownerId } : {}),
      ...(pet.tenantId ? { tenantId: pet.tenantId } : {}),
    };
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

/** An optional `ownerId` or `tenantId`: absent, or a value the authorizer can bind (else no route could reach the pet). */
function checkBindable(fields: Record<string, unknown>, key: 'ownerId' | 'tenantId'): Checked<string | undefined> {
  const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
  if (value === undefined) return { ok: true, value: undefined };
  if ('value' in boundValue(value)) return { ok: true, value: value as string };
  return {
    ok: false,
    message: `${key}, when given, must be 1 to ${MAX_BOUND_VALUE_LENGTH} of the characters A-Z a-z 0-9 . _ ~ @ + = , : - (a value the authorizer can bind)`,
  };
}

/**
 * Checks a parsed POST /pets body: an object with `name` (a non-empty string, trimmed, at most
 * LIMITS.maxNameLength characters), an optional `type` (a string, default "unknown"), and the
 * optional `ownerId` (a user's sub; default the creator) and `tenantId`, each a value the
 * authorizer can bind. Other fields are ignored. The message says what to fix.
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
  const ownerId = checkBindable(fields, 'ownerId');
  if (!ownerId.ok) return ownerId;
  const tenantId = checkBindable(fields, 'tenantId');
  if (!tenantId.ok) return tenantId;
  return {
    ok: true,
    value: {
      name: name.trim(),
      type: type === undefined ? 'unknown' : type.trim(),
      ...(ownerId.value === undefined ? {} : { ownerId: ownerId.value }),
      ...(tenantId.value === undefined ? {} : { tenantId: tenantId.value }),
    },
  };
}
