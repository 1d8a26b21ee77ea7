// The shared config: see ../../vitest.shared.ts.
export { default } from '../../vitest.shared';
