// The items of npm run bench, shared by the scripts it runs.

/** The i-th bench item: about 250 bytes of DynamoDB JSON, every common type. */
export function benchItem(i) {
  return {
    pk: { S: `user#${String(i).padStart(8, '0')}` },
    sk: { N: String(i) },
    name: { S: `name ${i.toString(36)} ${'x'.repeat(20)}` },
    score: { N: `${i}.${i % 997}` },
    tags: { SS: ['bench', `t${i % 13}`] },
    active: { BOOL: i % 2 === 0 },
    address: {
      M: {
        city: { S: ['Paris', 'Lagos', 'Lima'][i % 3] },
        zip: { N: String(10000 + (i % 90000)) },
      },
    },
    history: { L: [{ N: String(i % 100) }, { S: 'created' }] },
    payload: { S: 'p'.repeat(40) },
  }
}
