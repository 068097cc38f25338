import { z } from 'zod';
import { agentContract, customerContract, type MethodContract } from '../../protocol/api-contract';
import {
  AgentEventSchema,
  ArchivedChatSchema,
  ChatDetailsSchema,
  GroupOverviewSchema,
  ResponseNodeSchema,
  TranscriptMessageSchema,
} from '../../protocol/agent-responses';
import {
  ChatEventSchema,
  EmptyResponseSchema,
  FaultBodySchema,
} from '../../protocol/customer-responses';
import { FaultStatus } from '../../protocol/faults';

/** The schemas several methods share, each described once under its own name. */
const sharedSchemas: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['Fault', FaultBodySchema],
  ['Empty', EmptyResponseSchema],
  ['ChatEvent', ChatEventSchema],
  ['AgentEvent', AgentEventSchema],
  ['ChatDetails', ChatDetailsSchema],
  ['ArchivedChat', ArchivedChatSchema],
  ['TranscriptMessage', TranscriptMessageSchema],
  ['ResponseNode', ResponseNodeSchema],
  ['GroupOverview', GroupOverviewSchema],
];

interface Api {
  path: string;
  tag: string;
  contract: Record<string, MethodContract>;
  /** Methods callable without the agent's token. */
  open: (method: string) => boolean;
}

const apis: readonly Api[] = [
  { path: '/ChatService', tag: 'ChatService', contract: customerContract, open: () => true },
  {
    path: '/AgentService',
    tag: 'AgentService',
    contract: agentContract,
    open: (method) => method === 'Login',
  },
];

/**
 * The OpenAPI 3.1 description of the Chat Service's customer and agent APIs, made from the zod
 * schemas the service validates requests with (and the response schemas its tests hold answers
 * to), so the description cannot drift from the service.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  const named = new Map<z.ZodType, string>();
  const name = (schema: z.ZodType, id: string): string => {
    const known = named.get(schema);
    if (known !== undefined) return known;
    named.set(schema, id);
    registry.add(schema, { id });
    return id;
  };
  for (const [id, schema] of sharedSchemas) name(schema, id);
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

  const paths: Record<string, unknown> = {};
  for (const api of apis) {
    const prefix = api.tag === 'AgentService' ? 'Agent' : '';
    for (const [method, contract] of Object.entries(api.contract)) {
      const requestId =
        contract.request === null ? null : name(contract.request, `${prefix}${method}Request`);
      const responseId = name(contract.response, `${prefix}${method}Response`);
      const operation = (verb: 'post' | 'get') => ({
        operationId: `${api.tag}_${method}${verb === 'get' ? '_get' : ''}`,
        tags: [api.tag],
        summary: contract.summary,
        ...(verb === 'post' ? { requestBody: requestBody(requestId, ref) } : {}),
        responses: {
          '200': { description: 'Done.', content: json(ref(responseId)) },
          '4XX': { $ref: '#/components/responses/Fault' },
          '5XX': { $ref: '#/components/responses/Fault' },
        },
        ...(api.open(method) ? {} : { security: [{ agentToken: [] }] }),
      });
      paths[`${api.path}/${method}`] = {
        post: operation('post'),
        ...(contract.allowGet === true ? { get: operation('get') } : {}),
      };
    }
  }

  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => tidy(jsonSchema),
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Chat Service', version, description: description() },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'ChatService', description: 'The customer API of the specification.' },
      { name: 'AgentService', description: 'The agent API of the reference Chat Service.' },
    ],
    paths,
    components: {
      schemas: withoutOwnIds(schemas),
      responses: {
        Fault: {
          description: 'A fault: its Code (see the table above) and a text for people.',
          content: json(ref('Fault')),
        },
      },
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'The Token of Login.' },
      },
    },
  };
}

function json(schema: unknown) {
  return { 'application/json': { schema } };
}

/** Wrapped as the specification's example, `{"request": {...}}`, or bare. */
function requestBody(requestId: string | null, ref: (id: string) => unknown) {
  if (requestId === null) {
    return {
      required: false,
      description: 'The method takes no request; an empty object is accepted.',
      content: json({ type: 'object' }),
    };
  }
  return {
    required: true,
    content: json({
      anyOf: [
        {
          type: 'object',
          properties: { request: ref(requestId) },
          required: ['request'],
          additionalProperties: false,
        },
        ref(requestId),
      ],
    }),
  };
}

/** zod writes each definition's `$id` into it; in components the key already names it. */
function withoutOwnIds(schemas: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $id: _id, $schema: _dialect, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/** Drops what says nothing to a reader: the safe-integer bounds, and the regex of date-time. */
function tidy(schema: Record<string, unknown>): void {
  if (schema['minimum'] === Number.MIN_SAFE_INTEGER) delete schema['minimum'];
  if (schema['maximum'] === Number.MAX_SAFE_INTEGER) delete schema['maximum'];
  if (schema['format'] === 'date-time') delete schema['pattern'];
}

function description(): string {
  const rows = Object.entries(FaultStatus).map(([code, status]) => `| ${code} | ${status} |`);
  return [
    'Methods are `POST <path>/<Method>` (the path is case-insensitive) with a JSON body, wrapped as',
    '`{"request": {...}}` or bare. Answers are bare JSON; methods that return nothing answer `{}`.',
    'Enums travel as integers. Faults are an HTTP status with `{"Fault": {"Code", "Message"}}`:',
    '',
    '| Code | HTTP status |',
    '| --- | --- |',
    ...rows,
  ].join('\n');
}

/** The document as committed in docs/openapi.json and served at /ChatService/openapi.json. */
export function openApiText(version: string): string {
  return `${JSON.stringify(openApiDocument(version), null, 2)}\n`;
}
