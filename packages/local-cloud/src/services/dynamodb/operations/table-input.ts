import { validation } from '../errors.js';
import type { KeySchemaElement } from '../expressions/types.js';
import type { AttributeDefinition, IndexDef, Projection, Throughput } from '../model/tables.js';
import { type Constraints, checkEnum } from '../validation.js';

/** Checks of CreateTable / UpdateTable input that AWS makes before looking at any table. */
const INVALID = 'One or more parameter values were invalid:';

export function checkKeySchema(c: Constraints, schema: unknown, field: string): KeySchemaElement[] {
  if (!Array.isArray(schema)) {
    c.add(undefined, field, 'Member must not be null');
    return [];
  }
  if (schema.length < 1) c.add(schema, field, 'Member must have length greater than or equal to 1');
  if (schema.length > 2) c.add(schema, field, 'Member must have length less than or equal to 2');
  schema.forEach((k: Partial<KeySchemaElement>, i) => {
    checkEnum(c, k?.KeyType, `${field}.${i + 1}.member.keyType`, ['HASH', 'RANGE']);
    if (k?.AttributeName === undefined)
      c.add(undefined, `${field}.${i + 1}.member.attributeName`, 'Member must not be null');
  });
  return schema as KeySchemaElement[];
}

/** After the constraint checks: the first element is HASH, the second RANGE, names differ. */
export function checkKeyOrder(schema: KeySchemaElement[]): void {
  if (schema[0]?.KeyType !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (schema[1] && schema[1].KeyType !== 'RANGE') {
    throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
  if (schema[1] && schema[1].AttributeName === schema[0].AttributeName) {
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
}

export function checkAttributeDefinitions(c: Constraints, defs: unknown): AttributeDefinition[] {
  if (!Array.isArray(defs)) {
    c.add(undefined, 'attributeDefinitions', 'Member must not be null');
    return [];
  }
  defs.forEach((d: Partial<AttributeDefinition>, i) => {
    checkEnum(c, d?.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`, ['B', 'N', 'S']);
  });
  return defs as AttributeDefinition[];
}

/**
 * Every key attribute (table and indexes) is defined, and nothing else is. AWS words this
 * differently depending on whether there are too many, too few, or misnamed definitions, and on
 * whether the table has indexes.
 */
export function checkDefinitionsMatch(defs: AttributeDefinition[], schemas: KeySchemaElement[][]): void {
  const actual = defs.map((d) => d.AttributeName);
  const used = [...new Set(schemas.flat().map((k) => k.AttributeName))];
  const indexes = schemas.length > 1;
  const list = (xs: string[]) => `[${xs.join(', ')}]`;
  const missing = used.filter((n) => !actual.includes(n));
  if (actual.length > used.length) {
    if (indexes) {
      throw validation(
        `${INVALID} Some AttributeDefinitions are not used. AttributeDefinitions: ${list(actual)}, keys used: ${list(used)}`,
      );
    }
    throw validation(
      `${INVALID} Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    );
  }
  if (actual.length < used.length && !indexes) {
    throw validation('Invalid KeySchema: Some index key attribute have no definition');
  }
  if (missing.length || new Set(actual).size !== actual.length) {
    throw validation(
      `${INVALID} Some index key attributes are not defined in AttributeDefinitions. Keys: ${list(indexes || actual.length < used.length ? missing : used)}, AttributeDefinitions: ${list(actual)}`,
    );
  }
}

export function checkThroughput(c: Constraints, t: Partial<Throughput> | undefined, field: string): void {
  if (!t) return;
  for (const k of ['ReadCapacityUnits', 'WriteCapacityUnits'] as const) {
    const member = `${field}.${k[0]?.toLowerCase()}${k.slice(1)}`;
    const v = t[k];
    if (v === undefined) c.add(undefined, member, 'Member must not be null');
    else if (typeof v !== 'number' || v < 1) c.add(v, member, 'Member must have value greater than or equal to 1');
  }
}

/** Billing mode and throughput agree (PROVISIONED is the default). */
export function checkBilling(mode: string, t: Throughput | undefined): void {
  if (mode === 'PAY_PER_REQUEST' && t) {
    throw validation(
      `${INVALID} Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    );
  }
  if (mode === 'PROVISIONED' && !t) {
    throw validation(
      `${INVALID} ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
    );
  }
}

interface IndexInput {
  IndexName?: string;
  KeySchema?: KeySchemaElement[];
  Projection?: Partial<Projection>;
  ProvisionedThroughput?: Throughput;
}

export function checkIndexInput(c: Constraints, raw: IndexInput, field: string): void {
  const name = raw?.IndexName;
  if (name === undefined) c.add(undefined, `${field}.indexName`, 'Member must not be null');
  else {
    if (name.length < 3) c.add(name, `${field}.indexName`, 'Member must have length greater than or equal to 3');
    if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
      c.add(name, `${field}.indexName`, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    }
  }
  checkKeySchema(c, raw?.KeySchema, `${field}.keySchema`);
  if (!raw?.Projection) c.add(undefined, `${field}.projection`, 'Member must not be null');
  else
    checkEnum(c, raw.Projection.ProjectionType, `${field}.projection.projectionType`, ['ALL', 'INCLUDE', 'KEYS_ONLY']);
  checkThroughput(c, raw?.ProvisionedThroughput, `${field}.provisionedThroughput`);
}

/** Builds an index after checkIndexInput; throws AWS's errors for key and projection problems. */
export function buildIndex(raw: IndexInput, global: boolean, table: KeySchemaElement[], billing: string): IndexDef {
  const name = raw.IndexName as string;
  const schema = raw.KeySchema as KeySchemaElement[];
  checkKeyOrder(schema);
  const p = raw.Projection as Projection;
  if (p.ProjectionType !== 'INCLUDE' && p.NonKeyAttributes) {
    throw validation(`${INVALID} ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`);
  }
  if (!global) {
    if (!table[1]) {
      throw validation(
        `${INVALID} Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
      );
    }
    if (schema[0]?.AttributeName !== table[0]?.AttributeName) {
      throw validation(
        `${INVALID} Index KeySchema does not have the same leading hash key as table KeySchema for index: ${name}. index hash key: ${schema[0]?.AttributeName}, table hash key: ${table[0]?.AttributeName}`,
      );
    }
    if (!schema[1]) throw validation(`${INVALID} Index KeySchema does not have a range key for index: ${name}`);
  }
  if (global && billing === 'PROVISIONED' && !raw.ProvisionedThroughput) {
    throw validation(`${INVALID} ProvisionedThroughput is not specified for index: ${name}`);
  }
  if (global && billing === 'PAY_PER_REQUEST' && raw.ProvisionedThroughput) {
    throw validation(
      `${INVALID} ProvisionedThroughput should not be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
    );
  }
  const projection: Projection = { ProjectionType: p.ProjectionType };
  if (p.NonKeyAttributes) projection.NonKeyAttributes = p.NonKeyAttributes;
  const def: IndexDef = { IndexName: name, KeySchema: schema, Projection: projection, global };
  if (global && raw.ProvisionedThroughput) {
    const { ReadCapacityUnits, WriteCapacityUnits } = raw.ProvisionedThroughput;
    def.ProvisionedThroughput = { ReadCapacityUnits, WriteCapacityUnits };
  }
  return def;
}
