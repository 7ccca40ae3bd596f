/**
 * Validates responses against the official Letta OpenAPI spec (a copy in this folder, from the
 * server's 0.16.8 release) with ajv, resolving `$ref`s into `components.schemas`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }>; requestBody?: { content?: Record<string, { schema: unknown }> } }>
  >;
  components: { schemas: Record<string, unknown> };
}

function specPath(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'test', 'contract', 'letta-openapi.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error('test/contract/letta-openapi.json not found');
    }
    dir = parent;
  }
  return path.join(dir, 'test', 'contract', 'letta-openapi.json');
}

export class OpenApiValidator {
  private readonly spec: OpenApi;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.spec = JSON.parse(fs.readFileSync(specPath(), 'utf8')) as OpenApi;
    // strict: false — the spec uses OpenAPI keywords (discriminator, example) that are not JSON Schema.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ components: this.spec.components }, 'spec');
  }

  /** Errors of `body` against the response schema of `METHOD path` (GET unless given) with `status`; empty when valid. */
  validate(pathTemplate: string, status: number, body: unknown, method = 'get'): string[] {
    return errorsOf(this.compile(pathTemplate, status, method), body);
  }

  /** Errors of a request body against the JSON request schema of `METHOD path`. */
  validateRequest(pathTemplate: string, method: string, body: unknown): string[] {
    const schema = this.spec.paths[pathTemplate]?.[method]?.requestBody?.content?.['application/json']?.schema;
    if (!schema) {
      throw new Error(`The spec has no JSON request body for ${method.toUpperCase()} ${pathTemplate}`);
    }
    return errorsOf(this.ajv.compile(rewriteRefs(schema) as object), body);
  }

  /**
   * The validator for `METHOD path` with `status`, compiled once. Compiling the big schemas (AgentState)
   * takes seconds: do it before talking to a server, so a blocked event loop does not stale its sockets.
   */
  compile(pathTemplate: string, status: number, method = 'get'): ValidateFunction {
    const key = `${method} ${pathTemplate} ${status}`;
    let validate = this.cache.get(key);
    if (!validate) {
      const response = this.spec.paths[pathTemplate]?.[method]?.responses[String(status)];
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) {
        throw new Error(`The spec has no JSON response for ${method.toUpperCase()} ${pathTemplate} ${status}`);
      }
      validate = this.ajv.compile(rewriteRefs(schema) as object);
      this.cache.set(key, validate);
    }
    return validate;
  }

  /**
   * Errors of a query parameter's value against its declared schema on `METHOD path`; a parameter
   * the spec does not declare is an error. `value` is typed as the server reads it (`true`, not `'true'`).
   */
  validateQuery(pathTemplate: string, method: string, name: string, value: unknown): string[] {
    const params = (this.spec.paths[pathTemplate]?.[method] as { parameters?: { name: string; in: string; schema?: object }[] } | undefined)?.parameters ?? [];
    const param = params.find((p) => p.in === 'query' && p.name === name);
    if (!param?.schema) {
      return [`${method.toUpperCase()} ${pathTemplate} declares no query parameter ${name}`];
    }
    return errorsOf(this.ajv.compile(rewriteRefs(param.schema) as object), value);
  }

  /** Errors of `body` against a schema of our own, for answers the spec does not declare. */
  validateSchema(schema: object, body: unknown): string[] {
    return errorsOf(this.ajv.compile(rewriteRefs(schema) as object), body);
  }
}

function errorsOf(validate: ValidateFunction, body: unknown): string[] {
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** `#/components/...` refs point into the spec document registered as `spec`. */
function rewriteRefs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"spec#/components/'));
}
