import { describe, expect, it } from 'vitest'
import { mergePage, prependItems, removeItem, replaceItems } from './pagination'

type T = { id: string; v?: number }
const k = (t: T) => t.id

describe('cursor pagination merging', () => {
  it('appends a new page in order', () => {
    const out = mergePage([{ id: 'a' }, { id: 'b' }], [{ id: 'c' }, { id: 'd' }], k)
    expect(out.map(k)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('drops items repeated across pages but takes their newer value in place', () => {
    const out = mergePage([{ id: 'a', v: 1 }, { id: 'b', v: 1 }], [{ id: 'b', v: 2 }, { id: 'c', v: 1 }], k)
    expect(out).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 2 }, { id: 'c', v: 1 }])
  })

  it('deduplicates within the page itself', () => {
    const out = mergePage([], [{ id: 'x', v: 1 }, { id: 'x', v: 2 }], k)
    expect(out).toEqual([{ id: 'x', v: 2 }])
  })

  it('returns the same array for an empty page', () => {
    const a = [{ id: 'a' }]
    expect(mergePage(a, [], k)).toBe(a)
  })

  it('puts fresh items first without duplicates (refresh of the first page)', () => {
    const out = prependItems([{ id: 'b' }, { id: 'c' }], [{ id: 'a' }, { id: 'b', v: 9 }], k)
    expect(out).toEqual([{ id: 'a' }, { id: 'b', v: 9 }, { id: 'c' }])
  })

  it('replaces updated items and keeps identity when nothing changed', () => {
    const a = [{ id: 'a', v: 1 }, { id: 'b', v: 1 }]
    const out = replaceItems(a, [{ id: 'b', v: 2 }], k)
    expect(out).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 2 }])
    expect(out[0]).toBe(a[0])
    expect(replaceItems(a, [{ id: 'zzz', v: 2 }], k)).toBe(a)
  })

  it('removes by key', () => {
    const a = [{ id: 'a' }, { id: 'b' }]
    expect(removeItem(a, 'a', k).map(k)).toEqual(['b'])
    expect(removeItem(a, 'nope', k)).toBe(a)
  })
})
