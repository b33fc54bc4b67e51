/**
 * What the generator writes for one trigger type, in one object: its part of the entry, the stack,
 * the types file and the two scaffolds. `trigger-renderers.ts` holds one per trigger type in a
 * `Record`, so a new trigger type of the model fails to compile until it has one. The facts about a
 * trigger (event types, invocation, what a throw does) come from the model's descriptor
 * (@kiro-serverless/model/triggers); a renderer only says how they become code.
 */
import type { FunctionModel, ServiceModel } from '@kiro-serverless/model/model';
import type { TriggerKind, TriggerOf } from '@kiro-serverless/model/triggers';

/** What entry.ts gives a renderer to compose the handler. */
export interface EntryContext {
  readonly model: ServiceModel;
  readonly fn: FunctionModel;
  /** The entry's local name for the business logic. */
  readonly logic: string;
  /** The idempotency options (an object literal), or undefined when the function keeps no records. */
  readonly idempotency: string | undefined;
  /** Records a named import from a module of the runtime package (`http`, `batch`, ...). */
  importRuntime(module: string, ...names: string[]): void;
  /** The business logic bound to its resources, idempotent when it has a key: one input's handler. */
  perInput(): string;
}

/** What stack.ts gives a renderer to wire the trigger. */
export interface StackContext {
  readonly model: ServiceModel;
  /** The local variable of the function's construct. */
  readonly fn: string;
  /** The local variable of the construct that holds a resource ID. */
  ref(id: string): string;
  /** The column the statements start at, for laying them out to the line width (`layoutObject`). */
  readonly column: number;
}

/** What types.ts gives a renderer to declare the handler's type. */
export interface TypesContext {
  /** The names of the resources type and of the handler type. */
  readonly resources: string;
  readonly handler: string;
  /** The handler type's doc comment. */
  readonly comment: string;
}

/** The handler type of a types file. */
export interface HandlerType {
  /** Types imported from `aws-lambda`. */
  readonly imports: readonly string[];
  /** The import of the runtime's generic type. */
  readonly runtimeImport: string;
  readonly declaration: string;
}

/** What scaffold.ts gives a renderer to write the business-logic scaffold. */
export interface ScaffoldContext {
  readonly fn: FunctionModel;
  /** The handler type's name. */
  readonly handler: string;
  /** The doc comment text of the exported function (comment-safe). */
  readonly describe: string;
  /** The TODO line naming the resources. */
  readonly todo: string;
  /** The file's doc comment and its import of the handler type. */
  readonly preamble: string;
  /** The scaffold of a function that takes one input: logs `logged` of it and returns `returns`. */
  inputHandler(options: { readonly logged: string; readonly signature?: string; readonly returns?: string }): string;
}

/** What scaffold.ts gives a renderer to write the scaffolded test's call. */
export interface TestContext {
  readonly model: ServiceModel;
  /** The test's local name for the business logic. */
  readonly logic: string;
  /** The second argument of the business logic: `{ resources, context: lambdaContext() }`. */
  readonly invocation: string;
}

/** The scaffolded test's input and call. */
export interface TestCall {
  /** Names imported from @kiro-serverless/testing. */
  readonly events: string[];
  /** Imports besides the test helpers (the runtime's HTTP wrappers), each line ending in a newline. */
  readonly runtimeImport: string;
  /** Statements before `describe`, each line ending in a newline. */
  readonly prelude: string;
  readonly call: string;
  readonly expectation: string;
}

export interface TriggerRenderer<K extends TriggerKind> {
  /** The handler type's suffix: `Route` for an HTTP route, `Handler` otherwise. */
  readonly handlerSuffix: 'Route' | 'Handler';
  /** Whether the stack needs the HTTP API for this trigger. */
  readonly needsHttpApi: boolean;
  /** Names the entry imports for this trigger (a function ID that equals one is renamed on import). */
  readonly entryNames: readonly string[];
  /** Names the scaffolded test imports or declares for this trigger. */
  readonly testNames: readonly string[];
  /** One line for doc comments: where the input comes from and what a throw does. */
  describe(trigger: TriggerOf<K>): string;
  /** The entry's handler expression around the business logic (observability is added outside). */
  compose(trigger: TriggerOf<K>, context: EntryContext): string;
  /** The stack's statements that connect the function to its event source, after its grants. */
  wire(trigger: TriggerOf<K>, context: StackContext): string[];
  /** The types file's handler type. */
  handlerType(trigger: TriggerOf<K>, context: TypesContext): HandlerType;
  /** The business-logic scaffold. */
  handlerScaffold(trigger: TriggerOf<K>, context: ScaffoldContext): string;
  /** The scaffolded test's call of the business logic. */
  testCall(trigger: TriggerOf<K>, context: TestContext): TestCall;
}
