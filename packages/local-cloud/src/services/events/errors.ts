import { errorClass } from '../../core/errors.js';

/** EventBridge wire errors: a bare `__type`, as EventBridge sends them. */
const ev = (code: string, status = 400) => errorClass({ code, status, namespace: '' });

export const ResourceNotFoundException = ev('ResourceNotFoundException');
export const ValidationException = ev('ValidationException');
export const InvalidEventPatternException = ev('InvalidEventPatternException');
export const LimitExceededException = ev('LimitExceededException');
export const ResourceAlreadyExistsException = ev('ResourceAlreadyExistsException');
export const ManagedRuleException = ev('ManagedRuleException');

export const ruleNotFound = (name: string, bus = 'default') =>
  new ResourceNotFoundException(`Rule ${name} does not exist on EventBus ${bus}.`);
export const busNotFound = (name: string) => new ResourceNotFoundException(`Event bus ${name} does not exist.`);
export const invalid = (message: string) => new ValidationException(message);
export const badSchedule = () => new ValidationException('Parameter ScheduleExpression is not valid.');
export const badPattern = (reason: string) =>
  new InvalidEventPatternException(`Event pattern is not valid. Reason: ${reason}`);
