import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Redis of the BullMQ specs (the PostgreSQL pass). */
export const TEST_REDIS_URL = process.env.ASSAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ key prefix (ASSAY_QUEUE_PREFIX) of its own: specs running at once never take each other's jobs. */
export const uniqueQueuePrefix = () => `assay-test-${randomBytes(6).toString('hex')}`;

/** Deletes what a spec's queue left in Redis (BullMQ keeps meta, id and event keys after its jobs are gone). */
export async function dropQueue(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
