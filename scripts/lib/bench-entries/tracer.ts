// Bench entry (bundled, then required in a fresh node): Powertools Tracer imported, nothing run.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { keep } from './keep';

keep(Tracer);
