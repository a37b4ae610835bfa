import { type Route, route } from '../../protocols/rest-json.js';

/** Lambda's REST routes (botocore lambda/2015-03-31). */
const F = '/2015-03-31/functions/{FunctionName}';
const CONFIG = '/2019-09-25/functions/{FunctionName}/event-invoke-config';
const ESM = '/2015-03-31/event-source-mappings';

export const LAMBDA_ROUTES: Route[] = [
  route('POST', '/2015-03-31/functions', 'CreateFunction'),
  route('GET', '/2015-03-31/functions', 'ListFunctions'),
  route('GET', F, 'GetFunction'),
  route('DELETE', F, 'DeleteFunction'),
  route('GET', `${F}/configuration`, 'GetFunctionConfiguration'),
  route('PUT', `${F}/configuration`, 'UpdateFunctionConfiguration'),
  route('PUT', `${F}/code`, 'UpdateFunctionCode'),
  route('GET', `${F}/code`, 'GetCode'),
  route('POST', `${F}/invocations`, 'Invoke'),
  route('POST', `${F}/policy`, 'AddPermission'),
  route('GET', `${F}/policy`, 'GetPolicy'),
  route('DELETE', `${F}/policy/{StatementId}`, 'RemovePermission'),
  route('PUT', '/2017-10-31/functions/{FunctionName}/concurrency', 'PutFunctionConcurrency'),
  route('DELETE', '/2017-10-31/functions/{FunctionName}/concurrency', 'DeleteFunctionConcurrency'),
  route('GET', '/2019-09-30/functions/{FunctionName}/concurrency', 'GetFunctionConcurrency'),
  route('PUT', CONFIG, 'PutFunctionEventInvokeConfig'),
  route('POST', CONFIG, 'UpdateFunctionEventInvokeConfig'),
  route('GET', CONFIG, 'GetFunctionEventInvokeConfig'),
  route('DELETE', CONFIG, 'DeleteFunctionEventInvokeConfig'),
  route('GET', `${CONFIG}/list`, 'ListFunctionEventInvokeConfigs'),
  route('POST', ESM, 'CreateEventSourceMapping'),
  route('GET', ESM, 'ListEventSourceMappings'),
  route('GET', `${ESM}/{UUID}`, 'GetEventSourceMapping'),
  route('PUT', `${ESM}/{UUID}`, 'UpdateEventSourceMapping'),
  route('DELETE', `${ESM}/{UUID}`, 'DeleteEventSourceMapping'),
  route('POST', '/2017-03-31/tags/{Resource}', 'TagResource'),
  route('DELETE', '/2017-03-31/tags/{Resource}', 'UntagResource'),
  route('GET', '/2017-03-31/tags/{Resource}', 'ListTags'),
];
