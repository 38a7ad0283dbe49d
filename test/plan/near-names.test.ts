import { describe, expect, it } from 'vitest'
import {
  closeness,
  editDistance,
  MAX_NEAR_NAMES,
  nearNameMessage,
  nearNames,
} from '../../src/plan/near-names.js'

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['orders', 'orders', 0],
    ['orders', 'order', 1], // delete
    ['order', 'orders', 1], // insert
    ['orders', 'ordars', 1], // substitute
    ['orders-dev', 'orders-dve', 1], // swap adjacent
    ['ab', 'ba', 1],
    ['abcd', 'badc', 2], // two swaps
    ['ca', 'abc', 3], // OSA: no edit of a swapped pair (true Damerau-Levenshtein says 2)
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })

  it('stops at limit + 1', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2)
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3)
    expect(editDistance('orders-dev', 'orders-dve', 1)).toBe(1)
    expect(editDistance('abcdefgh', 'hgfedcba', 2)).toBe(3)
  })
})

describe('closeness', () => {
  it.each([
    // [requested, existing, score]: 0 case or separators only, 1 a trailing s, else the edits
    ['order-dev', 'orders-dev', 1],
    ['orders-dev', 'order-dev', 1],
    ['orders-dev', 'Orders-Dev', 0],
    ['orders-dev', 'ORDERS-DEV', 0],
    ['orders-dev', 'orders_dev', 0],
    ['orders-dev', 'orders.dev', 0],
    ['orders_dev', 'Orders.Dev', 0],
    ['orders-dev', 'ordersdev', 1],
    ['orders-dev', 'orders-dve', 1],
    ['orders-dev', 'ordres-dev', 1],
    ['orders-dev', 'orders-prod', undefined],
    ['orders-dev', 'customers-dev', undefined],
    ['orders-dev', 'invoices', undefined],
    ['order-item-dev', 'orders-items-dev', 1], // a trailing s on two parts
    ['order_item.dev', 'Orders-Items-Dev', 1],
    ['order-items-dv', 'orders-items-dev', 1], // a plural and an edit: one edit once singular
    ['orders-dev', 'orders-devel', 2],
    ['orders-dev', 'orders-development', undefined],
    ['order-dev', 'ordrs-dv', 2],
    ['order-dev', 'ordr-dv', 2],
    ['order-dev', 'ordr-d', undefined], // three edits
  ])('%s and %s: %s', (requested, existing, score) => {
    expect(closeness(requested, existing)).toBe(score)
  })

  it('never counts the same name', () => {
    expect(closeness('orders-dev', 'orders-dev')).toBeUndefined()
  })

  it('allows one edit to names of up to 5 characters, two to longer ones', () => {
    expect(closeness('user', 'usr')).toBe(1)
    expect(closeness('user', 'users')).toBe(1)
    expect(closeness('logs', 'lgos')).toBe(1)
    expect(closeness('logs', 'jobs')).toBeUndefined() // two edits in four characters
    expect(closeness('tags', 'bags')).toBe(1)
    expect(closeness('dev', 'Dev')).toBe(0)
    expect(closeness('dev', 'qa')).toBeUndefined()
    expect(closeness('abc', 'xyz')).toBeUndefined()
    expect(closeness('items', 'itmes')).toBe(1)
    expect(closeness('items', 'itmez')).toBeUndefined()
    // Six characters: two edits.
    expect(closeness('orders', 'odrers')).toBe(1)
    expect(closeness('orders', 'ordrez')).toBe(2)
    expect(closeness('orders', 'ordxyz')).toBeUndefined()
  })

  it('never counts names whose numbers differ: numbered tables are made on purpose', () => {
    expect(closeness('app-pr-13', 'app-pr-12')).toBeUndefined()
    expect(closeness('orders-2025', 'orders-2024')).toBeUndefined()
    expect(closeness('t02', 't01')).toBeUndefined()
    expect(closeness('orders-v2', 'orders-v2-old')).toBeUndefined() // four edits
    expect(closeness('orders-v2', 'order-v2')).toBe(1)
    expect(closeness('orders', 'orders1')).toBeUndefined()
    // A random hex suffix (as tests and ephemeral tables use) almost always holds digits.
    expect(closeness('table-3fa94c20', 'table-3fa94c21')).toBeUndefined()
  })
})

describe('nearNames', () => {
  it('finds orders-dev for order-dev among unrelated tables', () => {
    expect(
      nearNames('order-dev', ['customers-dev', 'orders-dev', 'orders-prod', 'invoices']),
    ).toEqual(['orders-dev'])
  })

  it('finds nothing among unrelated tables, nor in an empty account', () => {
    expect(nearNames('order-dev', ['customers-dev', 'orders-prod', 'orders-staging'])).toEqual([])
    expect(nearNames('order-dev', [])).toEqual([])
  })

  it('lists at most three, closest first: case or separators, a trailing s, then edits', () => {
    const existing = ['orders-dve', 'ordersdev', 'orders_dev', 'Orders-Dev', 'order-dev', 'x-dev']
    expect(nearNames('orders-dev', existing)).toEqual(['Orders-Dev', 'orders_dev', 'order-dev'])
    expect(MAX_NEAR_NAMES).toBe(3)
    // Fewer edits first (orders-dva is two), then by name.
    expect(
      nearNames('orders-dev', ['orders-dva', 'orders-dxv', 'orders-dev-', 'orders-dav']),
    ).toEqual(['orders-dav', 'orders-dev-', 'orders-dxv'])
    expect(nearNames('orders-dev', ['orders-dva', 'orders-dxv'])).toEqual([
      'orders-dxv',
      'orders-dva',
    ])
  })
})

describe('nearNameMessage', () => {
  it('names the closest, where it looked, and the two ways on', () => {
    expect(nearNameMessage('order-dev', ' (endpoint http://localhost:8000)', ['orders-dev'])).toBe(
      'Table order-dev does not exist (endpoint http://localhost:8000), but orders-dev does: did you mean orders-dev? Fix table, or set create-table: true to create order-dev.',
    )
  })

  it('lists several, closest first', () => {
    expect(
      nearNameMessage('orders-dev', ' (region eu-west-1)', [
        'Orders-Dev',
        'orders_dev',
        'order-dev',
      ]),
    ).toBe(
      'Table orders-dev does not exist (region eu-west-1), but tables with close names do: Orders-Dev, orders_dev, order-dev. Did you mean Orders-Dev? Fix table, or set create-table: true to create orders-dev.',
    )
  })
})
