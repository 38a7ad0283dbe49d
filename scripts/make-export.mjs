#!/usr/bin/env node
// Writes the layout of a DynamoDB export (ExportTableToPointInTime) from items, or from a table of
// DynamoDB Local: emulators have no export, so tests and demos make one with this script.
//
// Library:  import { writeExport, tableToExport } from './make-export.mjs'
// CLI:      node scripts/make-export.mjs --dynamodb-endpoint URL --table T --s3-endpoint URL \
//             --bucket B --root exports/ [--files 3]
//
// Plain ESM with no TypeScript; types live in make-export.d.mts.
import { createHash, randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { localClientConfig, s3ClientConfig } from './emulators.mjs'

const REGION = 'us-east-1'
const ACCOUNT = '000000000000'
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/** An export id as DynamoDB makes them: 14 digits of epoch milliseconds, `-`, 8 hex digits. */
export function newExportId(now = Date.now()) {
  return `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`
}

/** A data file name as DynamoDB makes them: 26 random base32 letters. */
function dataFileName() {
  return Array.from(randomBytes(26), (b) => BASE32[b % 32]).join('')
}

function md5(body) {
  return createHash('md5').update(body)
}

/**
 * Writes an export through `put`, in the order DynamoDB does (`_started`, data, files manifest,
 * summary last): under `<root>AWSDynamoDB/<export-id>/`, with full exports' data in its `data/`
 * and incremental exports' data in the `AWSDynamoDB/data/` folder they share.
 */
export async function writeExport(options) {
  const { type, put } = options
  if (type !== 'FULL_EXPORT' && type !== 'INCREMENTAL_EXPORT') {
    throw new Error(`type must be FULL_EXPORT or INCREMENTAL_EXPORT, not ${type}`)
  }
  const files = options.files ?? 1
  if (!Number.isInteger(files) || files < 1) throw new Error(`files must be 1 or more: ${files}`)
  const records =
    type === 'FULL_EXPORT'
      ? (options.items ?? []).map((item) => ({ Item: item }))
      : (options.changes ?? []).map(changeRecord)

  const now = new Date()
  const exportId = options.exportId ?? newExportId(now.getTime())
  const s3Prefix = (options.root ?? '').replace(/\/+$/, '')
  const base = s3Prefix === '' ? '' : `${s3Prefix}/`
  const exportRoot = `${base}AWSDynamoDB/${exportId}/`
  const dataFolder = type === 'FULL_EXPORT' ? `${exportRoot}data/` : `${base}AWSDynamoDB/data/`
  const tableName = options.tableName ?? 'table'
  const tableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`

  await put(`${exportRoot}_started`, '')

  // Round robin, as a partitioned table spreads items; a file may stay empty, as an empty
  // partition's does.
  const lines = Array.from({ length: files }, () => [])
  records.forEach((record, i) => lines[i % files].push(JSON.stringify(record)))
  const manifestLines = []
  const dataKeys = []
  let billedSizeBytes = 0
  for (const fileLines of lines) {
    const key = `${dataFolder}${dataFileName()}.json.gz`
    const body = gzipSync(fileLines.map((line) => `${line}\n`).join(''))
    await put(key, body)
    dataKeys.push(key)
    billedSizeBytes += body.length
    manifestLines.push(
      JSON.stringify({
        itemCount: fileLines.length,
        md5Checksum: md5(body).digest('base64'),
        etag: md5(body).digest('hex'),
        dataFileS3Key: key,
      }),
    )
  }

  const manifestFiles = manifestLines.map((line) => `${line}\n`).join('')
  const manifestFilesS3Key = `${exportRoot}manifest-files.json`
  await put(manifestFilesS3Key, manifestFiles)
  await put(`${exportRoot}manifest-files.md5`, md5(manifestFiles).digest('hex'))

  const iso = (date) => date.toISOString()
  const summary = JSON.stringify({
    version: '2020-06-30',
    exportArn: `${tableArn}/export/${exportId}`,
    startTime: iso(now),
    endTime: iso(new Date()),
    tableArn,
    tableId: options.tableId ?? '00000000-0000-4000-8000-000000000000',
    exportTime: iso(now),
    ...(type === 'INCREMENTAL_EXPORT' && {
      exportFromTime: iso(new Date(now.getTime() - 15 * 60_000)),
      exportToTime: iso(now),
    }),
    s3Bucket: options.bucket ?? 'bucket',
    s3Prefix: s3Prefix === '' ? null : s3Prefix,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: null,
    manifestFilesS3Key,
    billedSizeBytes,
    itemCount: records.length,
    outputFormat: 'DYNAMODB_JSON',
    ...(type === 'INCREMENTAL_EXPORT' && {
      outputView: records.some((r) => r.OldImage) ? 'NEW_AND_OLD_IMAGES' : 'NEW_IMAGE',
    }),
    exportType: type,
  })
  await put(`${exportRoot}manifest-summary.json`, summary)
  await put(`${exportRoot}manifest-summary.md5`, md5(summary).digest('hex'))

  return { exportRoot, dataKeys, itemCount: records.length }
}

/** One line of an incremental export: NewImage absent for a delete, OldImage only when given. */
function changeRecord(change) {
  return {
    Metadata: { WriteTimestampMicros: { N: String(change.timestampMicros) } },
    Keys: change.keys,
    ...(change.newImage && { NewImage: change.newImage }),
    ...(change.oldImage && { OldImage: change.oldImage }),
  }
}

/** An SDK AttributeValue (or item) in DynamoDB JSON as exports write it: B and BS as base64. */
export function toDynamoDBJson(value) {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(toDynamoDBJson)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toDynamoDBJson(v)]),
    )
  }
  return value
}

/**
 * Scans `tableName` (all of it, consistently) and writes its items as a full export: an export
 * layout generated by a script from data in DynamoDB Local.
 */
export async function tableToExport(client, tableName, options) {
  const items = []
  for await (const page of paginateScan(
    { client },
    { TableName: tableName, ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) items.push(toDynamoDBJson(item))
  }
  return writeExport({ ...options, tableName, items, type: 'FULL_EXPORT' })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'dynamodb-endpoint': { type: 'string' },
      table: { type: 'string' },
      's3-endpoint': { type: 'string' },
      bucket: { type: 'string' },
      root: { type: 'string', default: 'exports/' },
      files: { type: 'string', default: '3' },
    },
  })
  for (const name of ['dynamodb-endpoint', 'table', 's3-endpoint', 'bucket']) {
    if (!values[name]) throw new Error(`--${name} is required`)
  }
  const dynamodb = new DynamoDBClient(localClientConfig(values['dynamodb-endpoint']))
  const s3 = new S3Client(s3ClientConfig(values['s3-endpoint']))
  try {
    await s3.send(new CreateBucketCommand({ Bucket: values.bucket })).catch((err) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err
    })
    const result = await tableToExport(dynamodb, values.table, {
      files: Number(values.files),
      root: values.root,
      bucket: values.bucket,
      put: async (key, body) => {
        const ContentLength = Buffer.byteLength(body)
        await s3.send(
          new PutObjectCommand({ Bucket: values.bucket, Key: key, Body: body, ContentLength }),
        )
      },
    })
    console.log(
      `exported ${result.itemCount} items of ${values.table} to s3://${values.bucket}/${result.exportRoot} ` +
        `(${result.dataKeys.length} data files)`,
    )
  } finally {
    dynamodb.destroy()
    s3.destroy()
  }
}
