import { describe, expect, it, vi } from 'vitest'
import {
  begin,
  clear,
  click,
  createLongPress,
  createSelectionStore,
  EMPTY_SELECTION,
  prune,
  retain,
  selectAll,
  selectedInOrder,
  selectRange,
  toggle,
} from './selection'
import type { SelectionState } from './selection'

const order = ['a', 'b', 'c', 'd', 'e', 'f']
const ids = (s: SelectionState) => selectedInOrder(s, order)

describe('selection', () => {
  it('toggles one id and makes it the anchor; selecting starts with the first one', () => {
    let s = toggle(EMPTY_SELECTION, 'b')
    expect(ids(s)).toEqual(['b'])
    expect(s.anchor).toBe('b')
    expect(s.active).toBe(true)
    s = toggle(s, 'b')
    expect(ids(s)).toEqual([])
    // still selecting (the bar stays) until cleared
    expect(s.active).toBe(true)
    expect(clear()).toEqual(EMPTY_SELECTION)
  })

  it('Shift-click selects the range from the anchor, in display order, either way', () => {
    let s = click(EMPTY_SELECTION, order, 'b', false)
    s = click(s, order, 'e', true)
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e'])
    // the anchor stays at b: a range upwards adds a
    s = click(s, order, 'a', true)
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(s.anchor).toBe('b')
  })

  it('a range keeps what was selected before, and a plain click moves the anchor', () => {
    let s = toggle(EMPTY_SELECTION, 'f')
    s = toggle(s, 'a')
    s = selectRange(s, order, 'c')
    expect(ids(s)).toEqual(['a', 'b', 'c', 'f'])
    s = click(s, order, 'e', false)
    s = click(s, order, 'd', true)
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
  })

  it('Shift-click without an anchor in the list is a plain toggle', () => {
    expect(ids(selectRange(EMPTY_SELECTION, order, 'c'))).toEqual(['c'])
    const gone = { ...toggle(EMPTY_SELECTION, 'zz'), anchor: 'zz' }
    expect(ids(selectRange(gone, order, 'c'))).toEqual(['c', 'zz'])
    // an id not in the list changes nothing
    const s = toggle(EMPTY_SELECTION, 'a')
    expect(selectRange(s, order, 'nope')).toBe(s)
  })

  it('selects all loaded, begins without a selection, retains failures, prunes what left', () => {
    const all = selectAll(EMPTY_SELECTION, order)
    expect(ids(all)).toEqual(order)
    expect(begin(EMPTY_SELECTION)).toEqual({ ...EMPTY_SELECTION, active: true })
    const failed = retain(all, ['d', 'b'])
    expect(ids(failed)).toEqual(['b', 'd'])
    expect(retain(all, [])).toEqual(EMPTY_SELECTION)
    const pruned = prune(click(all, order, 'c', false), ['a', 'b', 'd'])
    expect(selectedInOrder(pruned, ['a', 'b', 'd'])).toEqual(['a', 'b', 'd'])
    expect(pruned.anchor).toBeNull()
    const same = toggle(EMPTY_SELECTION, 'a')
    expect(prune(same, order)).toBe(same)
  })

  it('the store tells subscribers about changes only, and prunes when the order changes', () => {
    const store = createSelectionStore()
    const seen = vi.fn()
    store.subscribe(seen)
    store.setOrder(order)
    store.update((s, o) => click(s, o, 'a', false))
    store.update((s, o) => click(s, o, 'c', true))
    expect(ids(store.get())).toEqual(['a', 'b', 'c'])
    expect(seen).toHaveBeenCalledTimes(2)
    store.update((s) => s)
    expect(seen).toHaveBeenCalledTimes(2)
    store.setOrder(['a', 'c'])
    expect(selectedInOrder(store.get(), ['a', 'c'])).toEqual(['a', 'c'])
    expect(seen).toHaveBeenCalledTimes(3)
  })
})

describe('long press', () => {
  function tracker() {
    vi.useFakeTimers()
    const fired = vi.fn()
    return { lp: createLongPress(fired), fired }
  }

  it('fires after the finger rests 450 ms, and its click is swallowed once', () => {
    const { lp, fired } = tracker()
    lp.down(10, 10)
    vi.advanceTimersByTime(449)
    expect(fired).not.toHaveBeenCalled()
    lp.move(14, 13) // within the slop
    vi.advanceTimersByTime(1)
    expect(fired).toHaveBeenCalledTimes(1)
    lp.up()
    expect(lp.takeFired()).toBe(true)
    expect(lp.takeFired()).toBe(false)
    vi.useRealTimers()
  })

  it('a tap, a scroll or a cancel is not a long press', () => {
    const { lp, fired } = tracker()
    lp.down(0, 0)
    vi.advanceTimersByTime(200)
    lp.up()
    vi.advanceTimersByTime(1000)
    lp.down(0, 0)
    lp.move(0, 30)
    vi.advanceTimersByTime(1000)
    lp.down(0, 0)
    lp.cancel()
    vi.advanceTimersByTime(1000)
    expect(fired).not.toHaveBeenCalled()
    expect(lp.takeFired()).toBe(false)
    // the browser's own long-press menu first: a waiting press counts now
    lp.down(0, 0)
    expect(lp.fireNow()).toBe(true)
    expect(fired).toHaveBeenCalledTimes(1)
    expect(lp.fireNow()).toBe(false)
    vi.useRealTimers()
  })
})
