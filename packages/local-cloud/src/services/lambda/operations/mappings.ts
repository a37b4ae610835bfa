import type { RestContext } from '../../../core/service.js';
import { jsonReply } from '../../../protocols/rest-json.js';
import {
  InvalidParameterValueException,
  ResourceConflictException,
  ResourceNotFoundException,
  validation,
} from '../errors.js';
import { functionArn } from '../model/function.js';
import type { MappingRecord, MappingRegistry } from '../model/mappings.js';
import type { FunctionRegistry } from '../model/registry.js';
import { type LambdaOp, num, parseFunctionName, type RestInput, str } from './common.js';

/** CreateEventSourceMapping and friends, for SQS sources. */
export interface EventSources {
  /** undefined when the queue does not exist; otherwise whether it is FIFO. */
  sqsQueue(arn: string): { fifo: boolean } | undefined;
}

function output(m: MappingRecord, state?: string) {
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: functionArn({ region: m.region, accountId: m.accountId, name: m.functionName }),
    LastModified: m.lastModified / 1000,
    State: state ?? (m.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: m.functionResponseTypes,
    ...(m.filterPatterns.length
      ? { FilterCriteria: { Filters: m.filterPatterns.map((Pattern) => ({ Pattern })) } }
      : {}),
    ...(m.maximumConcurrency ? { ScalingConfig: { MaximumConcurrency: m.maximumConcurrency } } : {}),
    EventSourceMappingArn: `arn:aws:lambda:${m.region}:${m.accountId}:event-source-mapping:${m.uuid}`,
  };
}

function applySettings(m: MappingRecord, body: Record<string, unknown>, fifo: boolean): void {
  const batch = num(body.BatchSize);
  if (batch !== undefined) m.batchSize = batch;
  const window = num(body.MaximumBatchingWindowInSeconds);
  if (window !== undefined) m.maximumBatchingWindowInSeconds = window;
  if (typeof body.Enabled === 'boolean') m.enabled = body.Enabled;
  if (Array.isArray(body.FunctionResponseTypes)) m.functionResponseTypes = body.FunctionResponseTypes.map(String);
  const filters = (body.FilterCriteria as { Filters?: Array<{ Pattern?: string }> } | undefined)?.Filters;
  if (filters) m.filterPatterns = filters.map((f) => String(f.Pattern ?? ''));
  const scaling = body.ScalingConfig as { MaximumConcurrency?: number } | undefined;
  if (scaling) {
    const c = scaling.MaximumConcurrency;
    if (c !== undefined && (c < 2 || c > 1000)) {
      throw validation(
        'scalingConfig.maximumConcurrency',
        c,
        c < 2
          ? 'Member must have value greater than or equal to 2'
          : 'Member must have value less than or equal to 1000',
      );
    }
    if (c === undefined) delete m.maximumConcurrency;
    else m.maximumConcurrency = c;
  }
  const max = fifo ? 10 : 10_000;
  if (m.batchSize < 1 || m.batchSize > max) {
    throw new InvalidParameterValueException(`BatchSize must be between 1 and ${max} for this event source.`);
  }
  if (m.maximumBatchingWindowInSeconds < 0 || m.maximumBatchingWindowInSeconds > 300) {
    throw validation(
      'maximumBatchingWindowInSeconds',
      m.maximumBatchingWindowInSeconds,
      'Member must have value less than or equal to 300',
    );
  }
  if (fifo && m.maximumBatchingWindowInSeconds > 0) {
    throw new InvalidParameterValueException('Batching window is not supported for FIFO queues');
  }
  if (m.batchSize > 10 && m.maximumBatchingWindowInSeconds < 1) {
    throw new InvalidParameterValueException(
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
  }
  for (const p of m.filterPatterns) {
    try {
      JSON.parse(p);
    } catch {
      throw new InvalidParameterValueException(`Invalid filter pattern definition.`);
    }
  }
}

export function mappingOperations(deps: {
  functions: FunctionRegistry;
  mappings: MappingRegistry;
  sources: () => EventSources | undefined;
  now(): number;
  uuid(): string;
}): Record<string, LambdaOp> {
  const find = (input: RestInput) => {
    const m = deps.mappings.get(input.params.UUID ?? '');
    if (!m)
      throw new ResourceNotFoundException(
        `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${deps.uuid()})`,
      );
    return m;
  };
  const source = (arn: string) => {
    const q = deps.sources()?.sqsQueue(arn);
    if (!q) {
      throw new InvalidParameterValueException(
        `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.`,
      );
    }
    return q;
  };
  return {
    CreateEventSourceMapping(input, ctx: RestContext) {
      const body = input.json();
      const arn = str(body.EventSourceArn);
      if (!arn)
        throw new InvalidParameterValueException('Unrecognized event source, must be kinesis, dynamodb stream or sqs.');
      const { scope, name } = parseFunctionName(str(body.FunctionName) ?? '', ctx);
      const fn = deps.functions.get(scope, name);
      const q = source(arn);
      const existing = deps.mappings
        .all()
        .find(
          (m) =>
            m.eventSourceArn === arn &&
            m.functionName === fn.name &&
            m.accountId === fn.accountId &&
            m.region === fn.region,
        );
      if (existing) {
        throw new ResourceConflictException(
          `An event source mapping with SQS arn (" ${arn} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
        );
      }
      const m: MappingRecord = {
        uuid: deps.uuid(),
        region: fn.region,
        accountId: fn.accountId,
        functionName: fn.name,
        eventSourceArn: arn,
        batchSize: 10,
        maximumBatchingWindowInSeconds: 0,
        enabled: true,
        functionResponseTypes: [],
        filterPatterns: [],
        lastModified: deps.now(),
      };
      applySettings(m, body, q.fifo);
      deps.mappings.save(m);
      return jsonReply(202, output(m, 'Creating'), ctx.requestId);
    },

    GetEventSourceMapping(input, ctx) {
      return jsonReply(200, output(find(input)), ctx.requestId);
    },

    ListEventSourceMappings(input, ctx) {
      const fnName = input.query.get('FunctionName');
      const arn = input.query.get('EventSourceArn');
      const fn = fnName ? parseFunctionName(fnName, ctx) : undefined;
      const list = deps.mappings
        .all()
        .filter((m) => m.region === ctx.scope.region && m.accountId === ctx.scope.accountId)
        .filter((m) => !fn || m.functionName === fn.name)
        .filter((m) => !arn || m.eventSourceArn === arn);
      return jsonReply(200, { EventSourceMappings: list.map((m) => output(m)) }, ctx.requestId);
    },

    UpdateEventSourceMapping(input, ctx) {
      const m = find(input);
      const body = input.json();
      const updated = { ...m };
      applySettings(updated, body, source(m.eventSourceArn).fifo);
      updated.lastModified = deps.now();
      deps.mappings.save(updated);
      return jsonReply(
        202,
        output(updated, updated.enabled === m.enabled ? 'Updating' : updated.enabled ? 'Enabling' : 'Disabling'),
        ctx.requestId,
      );
    },

    DeleteEventSourceMapping(input, ctx) {
      const m = find(input);
      deps.mappings.delete(m);
      return jsonReply(202, output(m, 'Deleting'), ctx.requestId);
    },
  };
}
