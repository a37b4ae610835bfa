import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

// Service names come from POWERTOOLS_SERVICE_NAME, set per function by the stack.
export const logger = new Logger();
export const metrics = new Metrics({ namespace: 'FeedbackPipeline' });
export const tracer = new Tracer();

export type LambdaFn<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * What Powertools' middy middlewares do, without middy: logger context, cold-start metric, a handler
 * subsegment with errors recorded, and the EMF flush that must happen even when the handler throws.
 */
export function instrument<E, R>(name: string, fn: LambdaFn<E, R>): LambdaFn<E, R> {
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric();
    const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const segment = parent?.addNewSubsegment(`## ${name}`);
    if (segment) {
      tracer.setSegment(segment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      return await fn(event, context);
    } catch (error) {
      if (segment) tracer.addErrorAsMetadata(error as Error);
      logger.error('Invocation failed', error as Error);
      throw error;
    } finally {
      segment?.close();
      if (parent) tracer.setSegment(parent);
      metrics.publishStoredMetrics();
    }
  };
}

/** Builds production dependencies on first use, so tests can import a module without AWS settings. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
