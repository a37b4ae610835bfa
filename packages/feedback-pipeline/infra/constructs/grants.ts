import { type Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * Table grants without the `index/*` wildcard that Table.grant* adds once a table has indexes: item actions on
 * the table, queries on the named indexes only.
 */
export function grantTable(
  table: ITable,
  grantee: IGrantable,
  actions: string[],
  query: { indexes: string[] } = { indexes: [] },
): void {
  Grant.addToPrincipal({ grantee, actions: actions.map((a) => `dynamodb:${a}`), resourceArns: [table.tableArn] });
  if (query.indexes.length === 0) return;
  Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: query.indexes.map((name) => `${table.tableArn}/index/${name}`),
  });
}

/** GetObject on every object of the bucket: the only thing the importer reads. */
export function grantGetObjects(bucket: IBucket, grantee: IGrantable & IConstruct, stack: Stack): void {
  Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects('*')] });
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as never);
  Validations.of(grantee).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    reason: 'Uploaded objects have arbitrary keys; the grant is GetObject only, on this bucket only.',
  });
}
