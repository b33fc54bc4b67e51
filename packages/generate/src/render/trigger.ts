/** What each trigger type means for generated code: the input the business logic gets, and how it is described. */
import type { FunctionModel, TriggerModel } from '@kiro-serverless/model/model';

export interface TriggerShape {
  /** The `aws-lambda` type of one input, or undefined for direct triggers (the user names it). */
  readonly inputType: string | undefined;
  /** One line for doc comments: where the input comes from and what a throw does. */
  readonly describe: string;
}

export function triggerShape(fn: FunctionModel): TriggerShape {
  const t: TriggerModel = fn.trigger;
  switch (t.type) {
    case 'http':
      return { inputType: undefined, describe: `${t.method} ${t.path} (API Gateway HTTP API). Throw an HttpError (400, 404, 409, 422) to answer the caller; any other error answers 500 and is logged.` };
    case 'sqs':
      return { inputType: 'SQSRecord', describe: `One message of queue ${t.queue}. Throw to fail this message alone: it returns after the visibility timeout, and goes to the dead-letter queue after maxReceiveCount.` };
    case 'dynamodbStream':
      return { inputType: 'DynamoDBRecord', describe: `One change record from the stream of table ${t.table}. Throw to fail it: the shard retries from this record (up to ${t.maxRetries} times), then sends the batch's details ${t.onFailure === undefined ? 'nowhere' : `to ${t.onFailure}`} and moves on.` };
    case 'sns':
      return { inputType: 'SNSEventRecord', describe: `One message of topic ${t.topic}. Throw to fail the invocation: Lambda retries it ${t.async.maxRetries} time(s), then sends it ${t.async.onFailure === undefined ? 'nowhere' : `to ${t.async.onFailure}`}.` };
    case 'schedule':
      return { inputType: 'ScheduledEvent', describe: `The schedule ${t.expression} (EventBridge). Throw to fail the invocation: Lambda retries it ${t.async.maxRetries} time(s), then sends it ${t.async.onFailure === undefined ? 'nowhere' : `to ${t.async.onFailure}`}.` };
    case 'direct':
      return t.invocation === 'sync'
        ? { inputType: undefined, describe: 'A direct, synchronous invocation (Lambda Invoke, RequestResponse): the caller gets the result or the error.' }
        : { inputType: undefined, describe: `A direct, asynchronous invocation (Lambda Invoke, Event). Throw to fail it: Lambda retries it ${t.async.maxRetries} time(s), then sends it ${t.async.onFailure === undefined ? 'nowhere' : `to ${t.async.onFailure}`}.` };
  }
}
