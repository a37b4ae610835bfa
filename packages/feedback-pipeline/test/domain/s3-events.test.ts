import { describe, expect, it } from 'vitest';
import { decodeS3Key, objectsFromSnsMessage } from '../../src/domain/s3-events.js';
import { snsEnvelope, snsWrappedS3Body } from '../factories.js';

describe('S3 events through SNS', () => {
  it('decodes form-encoded keys', () => {
    expect(decodeS3Key('uploads/my+file%2B1%C3%A9.csv')).toBe('uploads/my file+1é.csv');
  });

  it('extracts created objects from the SNS envelope', () => {
    const body = snsWrappedS3Body(
      { key: 'a+b.csv', size: 42, etag: 'e1' },
      { key: 'gone.csv', eventName: 'ObjectRemoved:Delete' },
    );
    expect(objectsFromSnsMessage(body)).toEqual([
      {
        bucket: 'imports-bucket',
        key: 'a b.csv',
        size: 42,
        etag: 'e1',
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-23T08:00:00.000Z',
        sequencer: '0055AED6DCD90281E5',
      },
    ]);
  });

  it('ignores the s3:TestEvent S3 sends when notifications are configured', () => {
    expect(objectsFromSnsMessage(snsEnvelope(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' })))).toEqual(
      [],
    );
  });

  it('throws on bodies that are not SNS notifications of S3 events', () => {
    expect(() => objectsFromSnsMessage('{"Records":[]}')).toThrow();
    expect(() => objectsFromSnsMessage(snsEnvelope('{"foo":1}'))).toThrow();
  });
});
