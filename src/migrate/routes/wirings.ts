import { elysiaWiring } from './elysia.js';
import { expressWiring } from './express.js';
import { expressOpenapiWiring } from './express-openapi.js';
import { fastifyWiring } from './fastify.js';
import { hapiWiring } from './hapi.js';
import { hapiOpenapiWiring } from './hapi-openapi.js';
import { honoWiring } from './hono.js';
import { koaWiring } from './koa.js';
import { oas3ToolsWiring } from './oas3-tools.js';
import { swaggerRoutesExpressWiring } from './swagger-routes-express.js';
import { forwardedBackendsWiring } from './openapi-backend.js';
import { h3Wiring, ittyRouterWiring, restifyWiring, uwebsocketsWiring } from './small-routers.js';
import type { RouteWiring } from './wiring.js';

/**
 * Every router framework's route wiring, in the order their handlers are tried for the same call name
 * (Express's `route('/p')` chains before Koa's named routes; Hono's `route('/p', sub)` before route objects).
 */
export const WIRINGS: readonly RouteWiring[] = [
  expressWiring,
  koaWiring,
  honoWiring,
  fastifyWiring,
  hapiWiring,
  elysiaWiring,
  restifyWiring,
  ittyRouterWiring,
  h3Wiring,
  uwebsocketsWiring,
  oas3ToolsWiring,
  swaggerRoutesExpressWiring,
  hapiOpenapiWiring,
  expressOpenapiWiring,
  // After every framework's routes: reads the routes that forward to an openapi-backend.
  forwardedBackendsWiring,
];
