#!/usr/bin/env node
// Runs one s3rver in its own process (started by emulators.mjs) so that it can be stopped by
// signal like DynamoDB Local, and so that --openssl-legacy-provider applies to it alone.
//
// usage: node --openssl-legacy-provider scripts/s3rver-process.mjs --port N [--watch-parent]
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import S3rver from 's3rver'

// s3rver only knows the access key id "S3RVER" and answers InvalidAccessKeyId to any other,
// while DynamoDB Local takes any. Map every unknown key to s3rver's one account, so the
// shared fake credentials (and whatever a workflow sets) work on both. s3rver never checks
// SigV4 signatures anyway, so this weakens nothing.
const AWSAccount = createRequire(import.meta.url)('s3rver/lib/models/account.js')
const knownAccount = AWSAccount.registry.get.bind(AWSAccount.registry)
AWSAccount.registry.get = (accessKeyId) => knownAccount(accessKeyId) ?? AWSAccount.DUMMY_ACCOUNT

// If shutdown hangs (a stuck request), exit anyway: the caller escalates to SIGKILL after 5 s.
const SHUTDOWN_TIMEOUT_MS = 3_000
const PARENT_CHECK_MS = 1_000

const args = process.argv.slice(2)
const port = Number(args[args.indexOf('--port') + 1])
if (!args.includes('--port') || !Number.isInteger(port) || port <= 0) {
  console.error('usage: s3rver-process.mjs --port N [--watch-parent]')
  process.exit(2)
}

// A fresh directory per run: tests never see a bucket left over from an earlier run.
const directory = await mkdtemp(join(tmpdir(), 's3rver-'))
const server = new S3rver({
  port,
  address: '127.0.0.1',
  silent: true,
  directory,
  resetOnClose: true,
})
await server.run()

let stopping = false
async function shutdown() {
  if (stopping) return
  stopping = true
  setTimeout(() => process.exit(0), SHUTDOWN_TIMEOUT_MS).unref()
  // close() waits for idle keep-alive sockets of the SDK clients: drop them first.
  server.httpServer?.closeAllConnections?.()
  await server.close().catch(() => {})
  await rm(directory, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

// The parent (a test runner) may die without stopping us; our process group is detached from
// its, so nothing else would. Reparenting changes our ppid: that is the signal to go.
if (args.includes('--watch-parent')) {
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) void shutdown()
  }, PARENT_CHECK_MS).unref()
}
