import { parseArn } from '../../../core/arn.js';
import { InvalidParameterValue, invalidValue, missing, ResourceNotFoundException } from '../errors.js';
import type { MoveTask, SqsModel } from '../model/registry.js';

/** StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks (DLQ redrive). */
function checkArn(param: string, arn: string): void {
  if (!parseArn(arn)) {
    throw new InvalidParameterValue(
      `You must use this format to specify the ${param}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`,
    );
  }
}

function taskHandle(t: MoveTask): string {
  return Buffer.from(JSON.stringify({ taskId: t.taskId, sourceArn: t.sourceArn })).toString('base64');
}

export function moveOperations(model: SqsModel) {
  return {
    StartMessageMoveTask(input: {
      SourceArn?: string;
      DestinationArn?: string;
      MaxNumberOfMessagesPerSecond?: number;
    }) {
      if (!input.SourceArn) throw missing('SourceArn');
      checkArn('SourceArn', input.SourceArn);
      const source = model.getByArn(input.SourceArn);
      if (!source) {
        throw new ResourceNotFoundException(
          "The resource that you specified for the SourceArn parameter doesn't exist.",
        );
      }
      if (model.deadLetterSources(source).length === 0) {
        throw new InvalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
      }
      if (input.DestinationArn) {
        checkArn('DestinationArn', input.DestinationArn);
        if (!model.getByArn(input.DestinationArn)) {
          throw new ResourceNotFoundException(
            "The resource that you specified for the DestinationArn parameter doesn't exist.",
          );
        }
      }
      const rate = input.MaxNumberOfMessagesPerSecond;
      if (rate !== undefined && (rate < 1 || rate > 500)) {
        throw invalidValue('MaxNumberOfMessagesPerSecond', rate, 'Must be between 1 and 500.');
      }
      if (model.activeTask(source.arn)) {
        throw new InvalidParameterValue(
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
        );
      }
      return { TaskHandle: taskHandle(model.startTask(source, input.DestinationArn, rate)) };
    },

    CancelMessageMoveTask(input: { TaskHandle?: string }) {
      if (!input.TaskHandle) throw missing('TaskHandle');
      let parsed: { taskId?: unknown; sourceArn?: unknown };
      try {
        parsed = JSON.parse(Buffer.from(input.TaskHandle, 'base64').toString('utf8'));
      } catch {
        throw new InvalidParameterValue('Value for parameter TaskHandle is invalid.');
      }
      if (typeof parsed?.taskId !== 'string' || typeof parsed.sourceArn !== 'string') {
        throw new InvalidParameterValue('Value for parameter TaskHandle is invalid.');
      }
      if (!model.getByArn(parsed.sourceArn)) {
        throw new ResourceNotFoundException(
          "The resource that you specified for the SourceArn parameter doesn't exist.",
        );
      }
      const task = model.findTask(parsed.taskId);
      if (!task || task.sourceArn !== parsed.sourceArn) throw new ResourceNotFoundException('Task does not exist.');
      if (task.status !== 'RUNNING') {
        throw new InvalidParameterValue('Only active tasks can be cancelled.');
      }
      model.cancelTask(task);
      return { ApproximateNumberOfMessagesMoved: task.moved };
    },

    ListMessageMoveTasks(input: { SourceArn?: string; MaxResults?: number }) {
      if (!input.SourceArn) throw missing('SourceArn');
      checkArn('SourceArn', input.SourceArn);
      if (!model.getByArn(input.SourceArn)) {
        throw new ResourceNotFoundException(
          "The resource that you specified for the SourceArn parameter doesn't exist.",
        );
      }
      const max = input.MaxResults ?? 1;
      if (max < 1 || max > 10) throw invalidValue('MaxResults', max, 'Must be between 1 and 10.');
      const Results = model
        .tasksFor(input.SourceArn)
        .slice(0, max)
        .map((t) => ({
          TaskHandle: t.status === 'RUNNING' ? taskHandle(t) : undefined,
          Status: t.status,
          SourceArn: t.sourceArn,
          DestinationArn: t.destinationArn,
          MaxNumberOfMessagesPerSecond: t.maxPerSecond,
          ApproximateNumberOfMessagesMoved: t.moved,
          ApproximateNumberOfMessagesToMove: t.toMove,
          FailureReason: t.failureReason,
          StartedTimestamp: t.startedAt,
        }));
      return { Results };
    },
  };
}
