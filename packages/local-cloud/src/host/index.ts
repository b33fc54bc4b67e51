/**
 * The function host of the local cloud: bundles function code (build.ts) and runs it in execution
 * environments, one worker thread each, with Lambda's lifecycle (host.ts).
 *
 * @module
 */
export { buildFunctions, createFunctionBuilder, type BuildFunctionsOptions, type FunctionBuild, type FunctionBuilder, type FunctionEntry } from './build.js';
export { createFunctionHost } from './host.js';
export { DEFAULT_HANDLER_EXPORT, DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION, HOST_STOPPED_ERROR_TYPE, InitializationType, INIT_TIMEOUT_MS, MIN_HEAP_MB, RuntimeErrorType } from './constants.js';
export { FunctionBuildError, FunctionHostError, FunctionHostOptionsError, HostStoppedError, UnknownFunctionError, type BuildIssue } from './errors.js';
export type { FunctionHost, FunctionHostOptions, FunctionStats, HostedFunction } from './types.js';
