import type { TableSchema } from '../../src/table/key-schema.js'

/** A table with a string partition key, a number sort key and two index keys (S and B). */
export const ordersSchema: TableSchema = {
  tableName: 'orders',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  indexKeys: [
    { name: 'email', type: 'S', indexName: 'byEmail', keyType: 'HASH' },
    { name: 'rank', type: 'B', indexName: 'byRank', keyType: 'RANGE' },
  ],
}
