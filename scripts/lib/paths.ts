// Where things are in this repository: the one ROOT that scripts and tests share.
import path from 'node:path';

/** The repository's root folder. */
export const ROOT = path.resolve(__dirname, '..', '..');
