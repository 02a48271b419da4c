// Bench entry (bundled, then required in a fresh node): Powertools Logger imported, nothing run.
import { Logger } from '@aws-lambda-powertools/logger';
import { keep } from './keep';

keep(Logger);
