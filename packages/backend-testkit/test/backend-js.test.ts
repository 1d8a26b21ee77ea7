import { createJsBackend } from '@plexus/backend-js';
import { runBackendConformance } from '../src/index.js';

// backend-js runs the conformance suite here rather than in its own package, which would make
// the two packages depend on each other. Against itself this checks that every case runs, and
// the storage, memory and error checks are real tests of backend-js.
runBackendConformance('js', createJsBackend);
