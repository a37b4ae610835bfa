import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ENTITY, type FeedbackItem } from '../domain/feedback.js';
import type { Status } from '../domain/schema.js';

export const BY_STATUS_INDEX = 'byStatus';
export const BY_CREATED_AT_INDEX = 'byCreatedAt';

export interface ListRequest {
  status?: Status;
  from?: string;
  to?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}

export interface ListPage {
  items: FeedbackItem[];
  lastKey?: Record<string, string | number>;
}

export class FeedbackRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Conditional put on the feedback id: a redelivered message finds the item and reports a duplicate. */
  async create(item: FeedbackItem): Promise<'created' | 'duplicate'> {
    const put = new PutCommand({
      TableName: this.tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return (await this.#conditional(put)) ? 'created' : 'duplicate';
  }

  async get(id: string): Promise<FeedbackItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: id }, ConsistentRead: true }),
    );
    return out.Item as FeedbackItem | undefined;
  }

  async markNotified(id: string, at: string): Promise<void> {
    const update = new UpdateCommand({
      TableName: this.tableName,
      Key: { pk: id },
      UpdateExpression: 'SET notifiedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
    await this.#conditional(update);
  }

  /** Writes the changed fields if the stored version is still `expectedVersion`. */
  async update(next: FeedbackItem, expectedVersion: number): Promise<'updated' | 'conflict'> {
    const update = new UpdateCommand({
      TableName: this.tableName,
      Key: { pk: next.pk },
      UpdateExpression: 'SET #status = :status, tags = :tags, updatedAt = :updatedAt, version = :version',
      ConditionExpression: 'attribute_exists(pk) AND version = :expected',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': next.status,
        ':tags': next.tags,
        ':updatedAt': next.updatedAt,
        ':version': next.version,
        ':expected': expectedVersion,
      },
    });
    return (await this.#conditional(update)) ? 'updated' : 'conflict';
  }

  async delete(id: string): Promise<'deleted' | 'missing'> {
    const del = new DeleteCommand({
      TableName: this.tableName,
      Key: { pk: id },
      ConditionExpression: 'attribute_exists(pk)',
    });
    return (await this.#conditional(del)) ? 'deleted' : 'missing';
  }

  /** Newest first, through byStatus when a status is given and the constant-partition byCreatedAt otherwise. */
  async list(request: ListRequest): Promise<ListPage> {
    const [partitionName, partitionValue, index] = request.status
      ? ['status', request.status, BY_STATUS_INDEX]
      : ['entity', ENTITY, BY_CREATED_AT_INDEX];
    const names: Record<string, string> = { '#p': partitionName };
    const values: Record<string, unknown> = { ':p': partitionValue };
    let range = '';
    if (request.from !== undefined || request.to !== undefined) names['#c'] = 'createdAt';
    if (request.from !== undefined && request.to !== undefined) {
      range = ' AND #c BETWEEN :from AND :to';
      Object.assign(values, { ':from': request.from, ':to': request.to });
    } else if (request.from !== undefined) {
      range = ' AND #c >= :from';
      values[':from'] = request.from;
    } else if (request.to !== undefined) {
      range = ' AND #c <= :to';
      values[':to'] = request.to;
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `#p = :p${range}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: request.limit,
        ExclusiveStartKey: request.startKey,
      }),
    );
    return {
      items: (out.Items ?? []) as FeedbackItem[],
      lastKey: out.LastEvaluatedKey as ListPage['lastKey'],
    };
  }

  async #conditional(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      // The document client's send is overloaded per command type; the union needs a cast.
      await this.doc.send(command as PutCommand);
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw error;
    }
  }
}
