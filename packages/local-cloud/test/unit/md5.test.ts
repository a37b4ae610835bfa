import { describe, expect, it } from 'vitest';
import { md5OfAttributes } from '../../src/services/sqs/model/message.js';

// Published vectors for MD5OfMessageAttributes (aws-semantics §1.4).
describe('MD5OfMessageAttributes', () => {
  const string1 = { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } };
  const binary = { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } };

  it('matches the vector for one string attribute', () => {
    expect(md5OfAttributes(string1)).toBe('19e27d4e946b072f3f58da80d94fd778');
  });

  it('matches the vector for one binary attribute', () => {
    expect(md5OfAttributes(binary)).toBe('31a92b15d92f8db860eda32aceb656c3');
  });

  it('is absent when there are no attributes', () => {
    expect(md5OfAttributes({})).toBeUndefined();
  });
});
