import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { FeedbackItem } from '../domain/feedback.js';

export class FeedbackEventPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  /** Email subscribers read the Message as plain text; attributes let other subscribers filter. */
  async publishNegative(item: FeedbackItem): Promise<string | undefined> {
    const lines = [
      `Negative feedback received (rating ${item.rating}/5).`,
      '',
      `Id: ${item.id}`,
      `Source: ${item.source}`,
      `From: ${item.email ?? 'anonymous'}`,
      `Received: ${item.createdAt}`,
      '',
      item.message,
    ];
    const out = await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: `Negative feedback (rating ${item.rating})`,
        Message: lines.join('\n'),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'feedback.negative' },
          rating: { DataType: 'Number', StringValue: String(item.rating) },
          source: { DataType: 'String', StringValue: item.source },
        },
      }),
    );
    return out.MessageId;
  }
}
