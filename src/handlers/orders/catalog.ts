/**
 * The product catalog: a JSON object in the `catalog` bucket, read through the `/tmp` cache so that
 * an execution environment fetches it from S3 once per TTL instead of on every order (LBP-TMP-CACHE).
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { s3 } from '@kiro-serverless/runtime/clients/s3';
import { createTmpCache } from '@kiro-serverless/runtime/tmp-cache';

/** The object that holds the catalog (the local cloud seeds it from specs/fixtures/orders/catalog/). */
export const CATALOG_KEY = 'catalog.json';
/** How long a fetched catalog is used before it is fetched again. */
export const CATALOG_TTL_SECONDS = 300;

export const Product = z.object({
  sku: z.string().min(1),
  name: z.string(),
  priceCents: z.number().int().nonnegative(),
  available: z.boolean(),
});
export type Product = z.infer<typeof Product>;

export const Catalog = z.object({ products: z.array(Product) });
export type Catalog = z.infer<typeof Catalog>;

/** Created at INIT; its files live in this execution environment's /tmp (`TMPDIR`). */
const cache = createTmpCache();

/** The catalog in `bucket`: from /tmp when fresh, else from S3. Throws if the object is not a catalog. */
export async function loadCatalog(bucket: string): Promise<ReadonlyMap<string, Product>> {
  const bytes = await cache.get(`s3://${bucket}/${CATALOG_KEY}`, {
    ttlSeconds: CATALOG_TTL_SECONDS,
    fetch: async () => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: CATALOG_KEY }));
      if (object.Body === undefined) throw new Error(`s3://${bucket}/${CATALOG_KEY} has no body`);
      return object.Body.transformToByteArray();
    },
  });
  const catalog = Catalog.parse(JSON.parse(bytes.toString('utf8')));
  return new Map(catalog.products.map((p) => [p.sku, p]));
}
