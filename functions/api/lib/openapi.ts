import * as z from 'zod';
import { refusedWhileReadOnly } from './read-only.js';
import { isBusinessRoute, type Route } from './route.js';

/**
 * The OpenAPI 3.1 document, assembled from the route registry with zod's own JSON Schema
 * output: what the router enforces and what the document says come from the same schemas.
 */
const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterSeconds: z.number().int().optional(),
});

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function operation(route: Route) {
  const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? jsonSchema(route.query, 'input') : undefined;
  const queryProperties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required ?? []) as string[]);
  const queryParameters = Object.entries(queryProperties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));

  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(route.answers)) {
    responses[status] = {
      description: answer.description,
      ...(answer.schema ? { content: { 'application/json': { schema: jsonSchema(answer.schema, 'output') } } } : {}),
    };
  }
  if (route.body || route.query) responses['400'] = errorAnswer('Invalid request');
  if (route.access !== 'public') responses['401'] = errorAnswer('No valid access token');
  if (isBusinessRoute(route)) {
    responses['403'] = errorAnswer('The role lacks the permission');
    responses['404'] = errorAnswer('Not a member of this business');
  }
  if (refusedWhileReadOnly(route)) responses['402'] = errorAnswer('The business is read-only (`read_only`)');

  return {
    summary: route.summary,
    'x-access': route.access,
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: [...pathParameters, ...queryParameters],
    ...(route.body
      ? {
          requestBody: {
            required: !route.body.safeParse(undefined).success,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Asistone API',
      version: '1',
      description:
        'Business routes answer 401 without a token, 404 for a business the caller is not a member of, and 403 ' +
        'when the role lacks the permission named in `x-access`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: 'asistone_refresh' },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}
