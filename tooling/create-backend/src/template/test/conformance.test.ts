import { runBackendConformance } from '@plexus/backend-testkit';
import { create__CLASS__ } from '../src/index.js';

// The whole conformance suite: every primitive, accelerated op, derived op and gradient compared
// with backend-js, plus storage and error checks.
runBackendConformance('__NAME__', create__CLASS__);
