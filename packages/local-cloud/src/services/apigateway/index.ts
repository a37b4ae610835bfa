import type { Clock } from '../../core/clock.js';
import type { EdgeReply, EdgeRequest } from '../../core/http.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RestContext, RestService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { matchRoute, parseJsonBody } from '../../protocols/rest-json.js';
import { AwsError, apigwError, BadRequestException, InternalError, UnknownOperation } from './errors.js';
import { HttpApiRegistry } from './model/http-apis.js';
import { RestApiRegistry } from './model/rest-apis.js';
import type { ApiOp } from './operations/common.js';
import { httpApiOperations } from './operations/http-apis.js';
import { httpPartOperations } from './operations/http-parts.js';
import { restApiOperations } from './operations/rest-apis.js';
import { V1_ROUTES, V2_ROUTES } from './routes.js';

export interface ApiGatewayEnv {
  clock: Clock;
  ids: IdGenerator;
  store: Store;
}

export type ApiGatewayService = RestService & { http: HttpApiRegistry; rest: RestApiRegistry };

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** API Gateway's control planes (v1 REST APIs and v2 HTTP APIs) over restJson1, signing name `apigateway`. */
export function createApiGatewayService(env: ApiGatewayEnv): ApiGatewayService {
  const now = () => env.clock.now();
  // AWS ids are lower-case alphanumerics (e.g. a1b2c3d4e5): drawn from the injected random source.
  const id = (chars: number) => {
    const hex = env.ids.hex(chars);
    let out = '';
    for (let i = 0; i < chars; i++) out += ALPHABET[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 36];
    return out;
  };
  const http = new HttpApiRegistry(env.store, now, id);
  const rest = new RestApiRegistry(env.store, now, id);
  http.load();
  rest.load();
  const v2: Record<string, ApiOp> = { ...httpApiOperations(http), ...httpPartOperations(http) };
  const v1 = restApiOperations(rest, now);

  return {
    name: 'apigateway',
    signingName: 'apigateway',
    ownsPath: (path) => path.startsWith('/v2/apis') || path.startsWith('/v2/tags/') || path.startsWith('/restapis'),
    http,
    rest,
    handle(req: EdgeRequest, ctx: RestContext): EdgeReply | Promise<EdgeReply> {
      try {
        const isV2 = ctx.path.startsWith('/v2/');
        const m = matchRoute(isV2 ? V2_ROUTES : V1_ROUTES, req.method, ctx.path);
        if (!m || m === 'method') throw new UnknownOperation(`Unknown operation ${req.method} ${ctx.path}`);
        const op = (isV2 ? v2 : v1)[m.op];
        if (!op) throw new UnknownOperation(`Operation ${m.op} is not supported`);
        let json: Record<string, unknown> | undefined;
        return op(
          {
            params: m.params,
            query: ctx.query,
            json: () => {
              json ??= body(req.body);
              return json;
            },
          },
          ctx,
        );
      } catch (err) {
        if (err instanceof AwsError) return apigwError(err, ctx.requestId);
        console.error('[local-cloud] apigateway error:', err);
        return apigwError(new InternalError('Internal server error'), ctx.requestId);
      }
    },
    reset() {
      http.reset();
      rest.reset();
    },
  };
}

function body(buf: Buffer): Record<string, unknown> {
  try {
    return parseJsonBody(buf);
  } catch {
    throw new BadRequestException('Invalid request body');
  }
}
