import type { IdGenerator } from '../core/ids.js';
import type { LambdaService } from '../services/lambda/index.js';
import type { S3Service } from '../services/s3/index.js';
import type { SnsModel } from '../services/sns/index.js';
import type { SqsModel } from '../services/sqs/model/registry.js';

/** The principal SQS reports as the sender of S3 notifications. */
const S3_SENDER_ID = 'AIDAJQABLZS4A3QDU576Q';
const SUBJECT = 'Amazon S3 Notification';

/**
 * Delivers S3 event notifications in process: to an SQS queue as the message body, to an SNS topic
 * as a Publish with Subject "Amazon S3 Notification" (SNS then fans it out), to a Lambda function as
 * an asynchronous invoke. Destinations are looked up by ARN when the configuration is saved and again
 * at each event; a destination deleted since is skipped. FIFO queues and topics are not valid
 * destinations (as in AWS).
 */
export function wireS3Notifications(deps: {
  ids: IdGenerator;
  s3: S3Service;
  sqs: SqsModel;
  sns: SnsModel;
  lambda: LambdaService;
}): void {
  const { sqs, sns, lambda } = deps;
  const service = (arn: string) => arn.split(':')[2];
  deps.s3.connect({
    exists(arn) {
      switch (service(arn)) {
        case 'sqs':
          return sqs.getByArn(arn)?.fifo === false;
        case 'sns':
          return sns.topic(arn) !== undefined && !arn.endsWith('.fifo');
        case 'lambda':
          return lambda.functions.byArn(arn) !== undefined;
        default:
          return false;
      }
    },
    deliver(arn, json, baseUrl) {
      switch (service(arn)) {
        case 'sqs': {
          const q = sqs.getByArn(arn);
          if (q && !q.fifo) q.send({ body: json, senderId: S3_SENDER_ID });
          return;
        }
        case 'sns': {
          const topic = sns.topic(arn);
          if (topic) sns.publish(topic, { message: json, subject: SUBJECT, baseUrl });
          return;
        }
        case 'lambda': {
          const fn = lambda.functions.byArn(arn);
          if (fn) lambda.async.enqueue(fn, Buffer.from(json), deps.ids.uuid());
          return;
        }
      }
    },
  });
}
