// Uploads examples/items/* to s3://<bucket>/items/ on an S3-compatible server (creating the bucket).
// Usage: node scripts/upload-examples.mjs --s3-endpoint http://127.0.0.1:4569 --bucket examples
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { s3ClientConfig } from './emulators.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Uploads the sample objects; returns their keys. */
export async function uploadExamples(s3Endpoint, bucket) {
  const s3 = new S3Client(s3ClientConfig(s3Endpoint))
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err
    })
    const dir = path.join(root, 'examples', 'items')
    const keys = []
    for (const name of fs.readdirSync(dir).sort()) {
      const key = `items/${name}`
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: fs.readFileSync(path.join(dir, name)),
        }),
      )
      keys.push(key)
    }
    return keys
  } finally {
    s3.destroy()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { 's3-endpoint': { type: 'string' }, bucket: { type: 'string', default: 'examples' } },
  })
  if (!values['s3-endpoint']) throw new Error('--s3-endpoint is required')
  const keys = await uploadExamples(values['s3-endpoint'], values.bucket)
  console.log(`uploaded ${keys.length} objects to s3://${values.bucket}/items/`)
}
