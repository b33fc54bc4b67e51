import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The service name of logs and metrics: `POWERTOOLS_SERVICE_NAME` (the generated infrastructure
 * sets it to the spec's `service`), else the function's name, else `unknown-service`.
 */
const serviceName =
  process.env.POWERTOOLS_SERVICE_NAME?.trim() || process.env.AWS_LAMBDA_FUNCTION_NAME?.trim() || 'unknown-service';

/**
 * The structured (JSON, one object a line) logger of this execution environment, created once at
 * INIT. Service name from `POWERTOOLS_SERVICE_NAME`; level from `POWERTOOLS_LOG_LEVEL` or Lambda's
 * log-level setting (default `INFO`). Inside a handler wrapped with {@link withObservability}, every
 * line carries the request id, function name and `cold_start`.
 */
export const logger = new Logger({ serviceName });

/**
 * The CloudWatch metrics (Embedded Metric Format) of this execution environment, created once at
 * INIT. Namespace from `POWERTOOLS_METRICS_NAMESPACE`, else the service name; every metric has a
 * `service` dimension. Metrics added during an invocation are published when it ends by
 * {@link withObservability}. Its own warnings go through {@link logger}, as JSON.
 */
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || serviceName,
  logger,
});

/** A Lambda handler as the Node.js runtime calls it (async; no callback). */
export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/** Options of {@link withObservability}. */
export interface ObservabilityOptions {
  /**
   * Log each invocation's event (it may hold personal data: for debugging only).
   *
   * @default the `POWERTOOLS_LOGGER_LOG_EVENT` environment variable, else false
   */
  readonly logEvent?: boolean;
  /**
   * Emit a `ColdStart` metric (with a `function_name` dimension) on the first invocation.
   *
   * @default false
   */
  readonly captureColdStartMetric?: boolean;
  /**
   * Throw when an invocation ends without any metric, for functions that must always emit some.
   * Without it, an invocation without metrics publishes nothing (and logs no warning).
   *
   * @default false
   */
  readonly throwOnEmptyMetrics?: boolean;
  /**
   * Remove the temporary keys added with `logger.appendKeys()` when an invocation ends, so that
   * they do not leak into the next one (persistent keys stay).
   *
   * @default true
   */
  readonly resetKeys?: boolean;
}

/**
 * Wraps a handler with the per-invocation half of logging and metrics (the other half, creating
 * {@link logger} and {@link metrics}, happened once at INIT). Around every invocation it:
 *
 * 1. adds the Lambda context to the logger: request id, function name, memory, and `cold_start`,
 *    `true` on the first invocation of the execution environment only (Powertools reports it when
 *    `AWS_LAMBDA_INITIALIZATION_TYPE` is `on-demand`, as Lambda sets it; under provisioned
 *    concurrency it is always `false`);
 * 2. logs the event if asked, and the `ColdStart` metric if asked;
 * 3. awaits the handler (nothing runs after the invocation returns);
 * 4. whether the handler returned or threw: publishes the stored metrics, clears the log buffer and
 *    the temporary log keys.
 *
 * ```ts
 * export const handler = withObservability(async (event: SQSEvent) => { ... });
 * ```
 *
 * @param handler - The handler to wrap; it may return a value or a promise.
 * @param options - What else to do per invocation.
 * @returns An async handler for the Lambda runtime; errors from `handler` are rethrown unchanged.
 */
export function withObservability<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult> | TResult,
  options: ObservabilityOptions = {},
): LambdaHandler<TEvent, TResult> {
  const { logEvent, captureColdStartMetric = false, throwOnEmptyMetrics = false, resetKeys = true } = options;
  if (throwOnEmptyMetrics) metrics.setThrowOnEmptyMetrics(true);

  return async (event, context) => {
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    logger.logEventIfEnabled(event, logEvent);
    if (captureColdStartMetric) metrics.captureColdStartMetric(context.functionName);
    try {
      return await handler(event, context);
    } finally {
      if (throwOnEmptyMetrics || metrics.hasStoredMetrics()) {
        metrics.publishStoredMetrics();
      } else {
        // What publishStoredMetrics() would have cleared, minus its "no metrics" warning.
        metrics.clearDimensions();
        metrics.clearMetadata();
      }
      logger.clearBuffer();
      if (resetKeys) logger.resetKeys();
    }
  };
}
