// A DynamoDB endpoint that takes every write at once and stores nothing, in a process of its own:
// what the stream engine's own ceiling is measured against (npm run bench). DescribeTable answers
// with the bench table (pk S, sk N); BatchWriteItem answers that every request was processed and
// counts them; `GET /count` returns the count of write requests so far.
//
//   node scripts/sink-server.mjs   → prints {"port": N} on stdout once it listens
import * as http from 'node:http'

let writes = 0
const PUT = /"(PutRequest|DeleteRequest)"/g

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.end(JSON.stringify({ writes }))
    return
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const body = Buffer.concat(chunks).toString()
    let answer
    if (target.endsWith('.BatchWriteItem')) {
      writes += body.match(PUT)?.length ?? 0
      answer = { UnprocessedItems: {} }
    } else if (target.endsWith('.DescribeTable')) {
      const name = JSON.parse(body).TableName
      answer = {
        Table: {
          TableName: name,
          TableStatus: 'ACTIVE',
          TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'N' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        },
      }
    } else {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
      res.end(JSON.stringify({ __type: 'com.amazon.coral.service#UnknownOperationException' }))
      return
    }
    const text = JSON.stringify(answer)
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': 'sink',
    })
    res.end(text)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
