// @plexus/app-kit: what every Plexus demo app shares (private; apps only).
export { selectBackend, traceReport } from './backend.js';
export type { Importer, SelectBackendOptions, SelectedBackend } from './backend.js';
export { UsageError, parseCli, numberOption, choiceOption, commonUsage } from './cli.js';
export type { CommonDefaults, CommonOptions, ParseCliConfig, ParsedCli } from './cli.js';
export { printResult, parseResult, round } from './result.js';
export { runDemo } from './demo.js';
export type { Demo, DemoIO, ParsedDemo } from './demo.js';
