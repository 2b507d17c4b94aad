import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PROFILE_SCHEMA } from '@matcher/catalog';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The profile's JSON Schema (draft 2020-12) as OpenAPI 3.0 components: `$defs` become components of their own and
 * their references follow, so client generators resolve every `$ref`. `$schema` and `$id` have no place in a component.
 */
function profileComponents(): Record<string, unknown> {
  const { $schema: _schema, $id: _id, $defs, ...profile } = PROFILE_SCHEMA as Record<string, unknown> & { $defs?: Record<string, unknown> };
  const rewrite = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
  const defs = Object.fromEntries(Object.entries($defs ?? {}).map(([name, schema]) => [name, rewrite(schema)]));
  return { ...defs, CompanyProfile: rewrite(profile) };
}

/**
 * The OpenAPI document integrators generate clients from. Protected controllers declare their schemes
 * (@ApiSecurity / @ApiBearerAuth); every other operation is public and says so with an empty `security`.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Shanghai district policy matcher')
    .setDescription(
      'Which Xuhui, Jing’an and Qingpu industrial support measures apply to a company profile, the responsible departments, why (quoting the policy text), what nearly applies, and whether each is in force. Errors are application/problem+json with errors: [{ path, message }].',
    )
    .setVersion('1')
    .setLicense('Proprietary', '')
    .addServer('/', 'This server')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ...(profileComponents() as Record<string, never>) };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  return document;
}
