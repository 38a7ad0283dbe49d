// Writes the sample data set of examples/items/: 300 items of every DynamoDB attribute type, as
// gzip DYNAMODB_JSON in 4 objects. Deterministic, so re-running it changes nothing.
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'items')
export const OBJECTS = 4
export const ITEMS_PER_OBJECT = 75

/** The i-th sample item, in DynamoDB JSON. */
export function sampleItem(i) {
  const bytes = Buffer.from([i % 256, (i * 7) % 256, 0, 255])
  return {
    pk: { S: `customer#${String(Math.floor(i / 3)).padStart(4, '0')}` },
    sk: { N: String(i) },
    name: { S: ['Ada Lovelace', 'Grace Hopper', 'Zoë Ångström', '李小龙', 'Nguyễn Thị'][i % 5] },
    // 38 significant digits whatever i is.
    balance: { N: `${1000 + (i % 9000)}123456789012345678901234.5678901234` },
    ratio: { N: `-0.${String(i).padStart(3, '0')}1` },
    avatar: { B: bytes.toString('base64') },
    active: { BOOL: i % 2 === 0 },
    deleted: { NULL: true },
    address: {
      M: { city: { S: ['Paris', 'Lagos', 'Lima'][i % 3] }, zip: { N: String(10000 + i) } },
    },
    history: { L: [{ N: String(i) }, { S: 'created' }, { BOOL: true }, { L: [] }, { M: {} }] },
    tags: { SS: ['sample', `tag-${i % 4}`] },
    // Members never equal by value (7E+3 is 7000).
    scores: { NS: [String(i), `${i}.5`, i === 7000 ? '7E-3' : '7E+3'] },
    keys: {
      BS: [Buffer.from([1, i % 256]).toString('base64'), Buffer.from('k').toString('base64')],
    },
    note: { S: i % 10 === 0 ? '' : `emoji 🚀 and "quotes" and \\ backslash #${i}` },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.mkdirSync(out, { recursive: true })
  for (let o = 0; o < OBJECTS; o++) {
    const lines = []
    for (let j = 0; j < ITEMS_PER_OBJECT; j++) {
      lines.push(JSON.stringify({ Item: sampleItem(o * ITEMS_PER_OBJECT + j) }))
    }
    const file = path.join(out, `part-${String(o + 1).padStart(4, '0')}.json.gz`)
    fs.writeFileSync(file, zlib.gzipSync(lines.join('\n') + '\n', { level: 9 }))
    console.log(`${file}: ${lines.length} items`)
  }
}
