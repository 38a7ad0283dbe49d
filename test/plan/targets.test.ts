import { describe, expect, it } from 'vitest'
import { assignTables, type ObjectTables } from '../../src/plan/targets.js'
import type { DefinedTable } from '../../src/table/definitions.js'
import type { SourceObject } from '../../src/sources/source.js'

function object(key: string): SourceObject {
  return { key, url: `/ws/${key}`, size: 10 } as SourceObject
}
const data = (key: string, ...names: string[]): ObjectTables => ({ object: object(key), names })
function definition(name: string, logicalId?: string): DefinedTable {
  return {
    name,
    ...(logicalId !== undefined && { logicalId }),
    creation: {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
    warnings: [],
    source: `table-definition t.yaml (${logicalId ?? name})`,
  }
}
const summary = (targets: ReturnType<typeof assignTables>) =>
  targets.map((t) => ({
    table: t.table.name,
    objects: t.objects.map((o) => o.key),
    fileTable: t.fileTable,
    definedBy: t.definition?.source,
  }))

describe('assignTables without a table input', () => {
  it('loads each table the files name, in file order, each with the objects that hold it', () => {
    const targets = assignTables(
      undefined,
      undefined,
      [],
      [data('a.json', 'Orders', 'Customers'), data('b.json', 'Customers', 'Audit')],
    )
    expect(summary(targets)).toEqual([
      { table: 'Orders', objects: ['a.json'], fileTable: 'Orders', definedBy: undefined },
      {
        table: 'Customers',
        objects: ['a.json', 'b.json'],
        fileTable: 'Customers',
        definedBy: undefined,
      },
      { table: 'Audit', objects: ['b.json'], fileTable: 'Audit', definedBy: undefined },
    ])
  })

  it("matches the files' names to a template's tables by TableName or logical id, and creates the template's other tables empty", () => {
    const orders = definition('test-orders', 'OrdersTable')
    const sessions = definition('test-sessions', 'SessionsTable')
    const targets = assignTables(
      undefined,
      undefined,
      [orders, sessions],
      [data('seed.json', 'OrdersTable')],
    )
    expect(summary(targets)).toEqual([
      {
        table: 'test-orders',
        objects: ['seed.json'],
        fileTable: 'OrdersTable',
        definedBy: orders.source,
      },
      { table: 'test-sessions', objects: [], fileTable: undefined, definedBy: sessions.source },
    ])
  })

  it("uses a model's own definitions for its tables, and gives files that name no table to the one table", () => {
    const model: ObjectTables = {
      object: object('model.json'),
      names: ['Shop'],
      definitions: [definition('Shop')],
    }
    const targets = assignTables(undefined, undefined, [], [model, data('more.csv')])
    expect(summary(targets)).toEqual([
      {
        table: 'Shop',
        objects: ['model.json', 'more.csv'],
        fileTable: 'Shop',
        definedBy: 'table-definition t.yaml (Shop)',
      },
    ])
  })

  it('refuses files that name no table beside several tables, and a source that names none', () => {
    expect(() =>
      assignTables(undefined, undefined, [], [data('a.json', 'A', 'B'), data('x.csv')]),
    ).toThrow(
      'table: is required: 1 object of the source (x.csv) names no table, and the step loads 2 (A, B): give table to say which one they are for, or load them in a step of their own.',
    )
    expect(() => assignTables(undefined, undefined, [], [data('x.csv'), data('y.csv')])).toThrow(
      'table: is required: the 2 objects of the source name no table (only a NoSQL Workbench model, a request-items file and a CloudFormation or SAM template in table-definition do). Give the table to load.',
    )
    expect(() => assignTables(undefined, undefined, [], [])).toThrow(
      'table: is required: the source holds no object that names a table, and table-definition defines none.',
    )
  })
})

describe('assignTables with a table input', () => {
  const orders = { id: 'orders-test', name: 'orders-test' }

  it('loads a file naming one table into it, whatever the file calls it, as before', () => {
    const targets = assignTables(orders, undefined, [], [data('a.json', 'Orders'), data('b.csv')])
    expect(summary(targets)).toEqual([
      {
        table: 'orders-test',
        objects: ['a.json', 'b.csv'],
        fileTable: undefined,
        definedBy: undefined,
      },
    ])
  })

  it("renames a one-table model's definition to the table input", () => {
    const model: ObjectTables = {
      object: object('m.json'),
      names: ['Shop'],
      definitions: [definition('Shop')],
    }
    const [target] = assignTables(orders, undefined, [], [model])
    expect(target?.definition?.creation.TableName).toBe('orders-test')
    expect(target?.fileTable).toBeUndefined()
  })

  it('picks its records out of files naming several tables, and refuses a name they do not have', () => {
    const b = { id: 'B', name: 'B' }
    const targets = assignTables(b, undefined, [], [data('a.json', 'A', 'B'), data('c.json', 'A')])
    expect(summary(targets)).toEqual([
      { table: 'B', objects: ['a.json'], fileTable: 'B', definedBy: undefined },
    ])
    expect(() => assignTables(orders, undefined, [], [data('a.json', 'A', 'B')])).toThrow(
      'table: expected one of the 2 tables the source names (A, B), got "orders-test": give one of them, or leave table out to load every one.',
    )
  })

  it('suggests the close name of a typo', () => {
    const typo = { id: 'ShopDta', name: 'ShopDta' }
    expect(() =>
      assignTables(typo, undefined, [], [data('m.json', 'ShopData', 'Products')]),
    ).toThrow(
      'table: expected one of the 2 tables the source names (ShopData, Products), got "ShopDta" (did you mean ShopData?): give one of them, or leave table out to load every one.',
    )
  })

  it('prefers the definition the inputs give to the one of a model', () => {
    const given = definition('B')
    const model: ObjectTables = {
      object: object('m.json'),
      names: ['A', 'B'],
      definitions: [definition('A'), { ...definition('B'), source: 'the model' }],
    }
    const [target] = assignTables({ id: 'B', name: 'B' }, given, [], [model])
    expect(target?.definition).toBe(given)
  })
})
