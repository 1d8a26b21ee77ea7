import { registerBackend } from '@plexus/tensor';
import { __CLASS__ } from './backend.js';

export { __CLASS__, create__CLASS__ } from './backend.js';

// Importing the package registers the backend as '__NAME__'. Priority 0 keeps 'js' (priority 1)
// the default until this backend is faster: raise it then.
registerBackend('__NAME__', () => new __CLASS__(), { priority: 0 });
