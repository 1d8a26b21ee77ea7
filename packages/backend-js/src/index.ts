import { registerBackend } from '@plexus/tensor';
import { JsBackend } from './backend.js';

export { JsBackend, createJsBackend } from './backend.js';

// Importing the package makes the backend available as 'js'. Native or GPU backends register
// with a higher priority, so this one is the default only when nothing faster is loaded.
registerBackend('js', () => new JsBackend(), { priority: 1 });
