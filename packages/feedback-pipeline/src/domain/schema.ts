import { z } from 'zod';

export const SOURCES = ['web', 'mobile', 'import'] as const;
export const STATUSES = ['new', 'in-progress', 'resolved'] as const;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 32;
export const MAX_MESSAGE_LENGTH = 2000;

export type Source = (typeof SOURCES)[number];
export type Status = (typeof STATUSES)[number];

const tags = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'Tag must not be empty')
      .max(MAX_TAG_LENGTH, `Tag must be at most ${MAX_TAG_LENGTH} characters`),
  )
  .max(MAX_TAGS, `At most ${MAX_TAGS} tags`);

export function feedbackSchema(defaultSource: Source) {
  return z.object({
    rating: z
      .number({ error: 'Rating must be a number' })
      .int('Rating must be an integer')
      .min(1, 'Rating must be between 1 and 5')
      .max(5, 'Rating must be between 1 and 5'),
    message: z
      .string({ error: 'Message is required' })
      .trim()
      .min(1, 'Message must not be empty')
      .max(MAX_MESSAGE_LENGTH, `Message must be at most ${MAX_MESSAGE_LENGTH} characters`),
    email: z.email('Email must be a valid address').optional(),
    source: z.enum(SOURCES, { error: `Source must be one of ${SOURCES.join(', ')}` }).default(defaultSource),
    tags: tags.optional(),
  });
}

/** What the public API accepts (POST /feedback). */
export const submitSchema = feedbackSchema('web');
/** One row of a bulk import file. */
export const importRowSchema = feedbackSchema('import');
export type FeedbackInput = z.infer<typeof submitSchema>;

/** The body of a message on feedback-queue: the input plus the id and time fixed at intake. */
export const queuedFeedbackSchema = submitSchema.extend({
  id: z.uuid(),
  submittedAt: z.iso.datetime(),
});
export type QueuedFeedback = z.infer<typeof queuedFeedbackSchema>;

/** PUT /feedback/{id}: only status and tags may change; anything else is rejected. */
export const updateSchema = z
  .strictObject({
    status: z.enum(STATUSES, { error: `Status must be one of ${STATUSES.join(', ')}` }).optional(),
    tags: tags.optional(),
  })
  .refine((u) => u.status !== undefined || u.tags !== undefined, 'Provide status or tags');
export type FeedbackUpdate = z.infer<typeof updateSchema>;

const isoDateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'Must be an ISO date (YYYY-MM-DD) or date-time',
});

export const listQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'Limit must be a number' })
    .int('Limit must be an integer')
    .min(1, 'Limit must be between 1 and 100')
    .max(100, 'Limit must be between 1 and 100')
    .default(20),
  nextToken: z.string().min(1).optional(),
  status: z.enum(STATUSES, { error: `Status must be one of ${STATUSES.join(', ')}` }).optional(),
  from: isoDateOrTime.optional(),
  to: isoDateOrTime.optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;
