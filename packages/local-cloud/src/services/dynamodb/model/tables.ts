import type { KeySchemaElement } from '../expressions/types.js';

/** A table's definition as stored (`dynamodb.tables`); items live in TableData. */
export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}

export interface Projection {
  ProjectionType: 'KEYS_ONLY' | 'INCLUDE' | 'ALL';
  NonKeyAttributes?: string[];
}

export interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface IndexDef {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  ProvisionedThroughput?: Throughput;
  global: boolean;
}

export interface TableDef {
  /** `<account>/<region>/<name>` */
  key: string;
  TableName: string;
  TableId: string;
  TableArn: string;
  created: number;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  payPerRequestSince?: number;
  ProvisionedThroughput?: Throughput;
  indexes: IndexDef[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  streamLabel?: string;
  Tags: Array<{ Key: string; Value: string }>;
  ttl?: { AttributeName: string; enabled: boolean };
  /** Point-in-time recovery: recorded and described, no restores. */
  pitr?: { enabled: boolean; days: number; since: number };
  DeletionProtectionEnabled?: boolean;
  TableClass?: string;
}

export interface Sizes {
  count: number;
  bytes: number;
  index: (name: string) => { count: number; bytes: number };
}

const seconds = (ms: number) => ms / 1000;

function throughput(t: Throughput | undefined) {
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: t?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: t?.WriteCapacityUnits ?? 0,
  };
}

/** The TableDescription AWS returns from CreateTable, DescribeTable, UpdateTable and DeleteTable. */
export function describeTable(def: TableDef, sizes: Sizes, status = 'ACTIVE'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    AttributeDefinitions: def.AttributeDefinitions,
    TableName: def.TableName,
    KeySchema: def.KeySchema,
    TableStatus: status,
    CreationDateTime: seconds(def.created),
    ProvisionedThroughput: throughput(def.ProvisionedThroughput),
    TableSizeBytes: sizes.bytes,
    ItemCount: sizes.count,
    TableArn: def.TableArn,
    TableId: def.TableId,
  };
  if (def.payPerRequestSince !== undefined) {
    out.BillingModeSummary = {
      BillingMode: def.BillingMode,
      LastUpdateToPayPerRequestDateTime: seconds(def.payPerRequestSince),
    };
  }
  const lsis = def.indexes.filter((i) => !i.global);
  const gsis = def.indexes.filter((i) => i.global);
  if (lsis.length) out.LocalSecondaryIndexes = lsis.map((i) => describeIndex(def, i, sizes, status));
  if (gsis.length) out.GlobalSecondaryIndexes = gsis.map((i) => describeIndex(def, i, sizes, status));
  if (def.StreamSpecification?.StreamEnabled) {
    out.StreamSpecification = def.StreamSpecification;
    out.LatestStreamLabel = def.streamLabel;
    out.LatestStreamArn = `${def.TableArn}/stream/${def.streamLabel}`;
  }
  out.DeletionProtectionEnabled = def.DeletionProtectionEnabled ?? false;
  if (def.TableClass) out.TableClassSummary = { TableClass: def.TableClass };
  return out;
}

function describeIndex(def: TableDef, i: IndexDef, sizes: Sizes, status: string): Record<string, unknown> {
  const s = sizes.index(i.IndexName);
  const out: Record<string, unknown> = {
    IndexName: i.IndexName,
    KeySchema: i.KeySchema,
    Projection: i.Projection,
  };
  if (i.global) {
    // GSIs are created with their table: CREATING in the CreateTable response, then ACTIVE.
    out.IndexStatus = status === 'CREATING' ? 'CREATING' : 'ACTIVE';
    out.ProvisionedThroughput = throughput(i.ProvisionedThroughput);
  }
  out.IndexSizeBytes = s.bytes;
  out.ItemCount = s.count;
  out.IndexArn = `${def.TableArn}/index/${i.IndexName}`;
  return out;
}

/** Attribute names an index entry carries: the index key, the table key, and its projection. */
export function projectedNames(def: TableDef, index: IndexDef): Set<string> | undefined {
  if (index.Projection.ProjectionType === 'ALL') return undefined;
  const names = new Set<string>();
  for (const k of def.KeySchema) names.add(k.AttributeName);
  for (const k of index.KeySchema) names.add(k.AttributeName);
  if (index.Projection.ProjectionType === 'INCLUDE') {
    for (const n of index.Projection.NonKeyAttributes ?? []) names.add(n);
  }
  return names;
}
