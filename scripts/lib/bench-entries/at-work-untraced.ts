// Bench entry (bundled, then required in a fresh node): the libraries at work, tracing off.
import { librariesAtWork } from './at-work';

librariesAtWork();
