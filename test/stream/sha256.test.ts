import { createHash, createHmac } from 'node:crypto'
import { Sha256 as SdkSha256 } from '@smithy/core/checksum'
import { SignatureV4 } from '@smithy/signature-v4'
import { describe, expect, it } from 'vitest'
import { hmacKey, Sha256 } from '../../src/stream/sha256.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('Sha256 for the SDK signer', () => {
  it('digests as node:crypto does, with and without a key, from text and from bytes', async () => {
    const plain = new Sha256()
    plain.update('abc')
    plain.update(new Uint8Array([0, 1, 255]))
    const expected = createHash('sha256')
      .update('abc')
      .update(Buffer.from([0, 1, 255]))
    expect(hex(await plain.digest())).toBe(expected.digest('hex'))

    for (const secret of ['secret', new Uint8Array([9, 8, 7]), new Uint8Array([9, 8, 7]).buffer]) {
      const keyed = new Sha256(secret)
      keyed.update('message')
      const key = typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer)
      expect(hex(await keyed.digest())).toBe(
        createHmac('sha256', key).update('message').digest('hex'),
      )
    }
  })

  it('gives the same digest again, refuses more data once digested, and starts over on reset', async () => {
    const hash = new Sha256('k')
    hash.update('one')
    const first = hex(await hash.digest())
    expect(hex(await hash.digest())).toBe(first)
    expect(() => hash.update('two')).toThrow(/already finished/)
    hash.reset()
    hash.update('two')
    expect(hex(await hash.digest())).toBe(createHmac('sha256', 'k').update('two').digest('hex'))
  })

  it('prepares a key once: the same text, or the same array, gives the same key object', () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(hmacKey(bytes)).toBe(hmacKey(bytes))
    expect(hmacKey('secret')).toBe(hmacKey('secret'))
    // Another array with the same bytes is another key object, with the same key.
    const other = hmacKey(new Uint8Array([1, 2, 3]))
    expect(other).not.toBe(hmacKey(bytes))
    expect(other.export().equals(hmacKey(bytes).export())).toBe(true)
  })

  it('makes the SDK sign requests exactly as with its own hash, request after request', async () => {
    const signer = (sha256: typeof Sha256 | typeof SdkSha256) =>
      new SignatureV4({
        service: 'dynamodb',
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' },
        sha256,
      })
    const ours = signer(Sha256)
    const sdks = signer(SdkSha256)
    for (const body of ['{"RequestItems":{}}', '{"RequestItems":{"t":[]}}']) {
      const request = () => ({
        method: 'POST',
        protocol: 'https:',
        hostname: 'dynamodb.eu-west-1.amazonaws.com',
        path: '/',
        headers: {
          host: 'dynamodb.eu-west-1.amazonaws.com',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.BatchWriteItem',
        },
        body: new TextEncoder().encode(body),
      })
      const signingDate = new Date('2026-12-02T10:00:00Z')
      const a = await ours.sign(request(), { signingDate })
      const b = await sdks.sign(request(), { signingDate })
      expect(a.headers['authorization']).toBe(b.headers['authorization'])
      expect(a.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//)
    }
  })
})
