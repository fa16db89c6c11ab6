// Multi-select of tiles in a list (gallery, search results, an album, favourites, trash): which
// ids are selected, in the list's display order. Pure functions over an immutable state, plus a
// small store so that each tile re-renders only when its own check changes.

export interface SelectionState {
  /** The selected ids (no order: `selectedInOrder` gives them in display order). */
  readonly selected: ReadonlySet<string>
  /** The last id clicked without Shift: a Shift-click selects from here. */
  readonly anchor: string | null
  /** Selecting ("Select" pressed, or something selected): a click on a tile toggles it. */
  readonly active: boolean
}

export const EMPTY_SELECTION: SelectionState = { selected: new Set(), anchor: null, active: false }

const withSelected = (s: SelectionState, selected: Set<string>, anchor = s.anchor): SelectionState => ({
  selected,
  anchor,
  active: s.active || selected.size > 0,
})

/** Selects or deselects one id; it becomes the anchor of the next Shift-click. */
export function toggle(s: SelectionState, id: string): SelectionState {
  const next = new Set(s.selected)
  if (next.has(id)) next.delete(id)
  else next.add(id)
  return withSelected(s, next, id)
}

/**
 * Selects every id from the anchor to `id` (either direction, both ends included) in `order`,
 * keeping what was selected before; the anchor stays, so a second Shift-click changes the far
 * end. Without an anchor in the list this is a toggle of `id`.
 */
export function selectRange(s: SelectionState, order: readonly string[], id: string): SelectionState {
  const to = order.indexOf(id)
  const from = s.anchor === null ? -1 : order.indexOf(s.anchor)
  if (to < 0) return s
  if (from < 0) return toggle(s, id)
  const next = new Set(s.selected)
  const [lo, hi] = from <= to ? [from, to] : [to, from]
  for (let i = lo; i <= hi; i++) next.add(order[i])
  return withSelected(s, next)
}

/** A click on a tile's check (or on the tile while selecting): Shift selects a range. */
export function click(s: SelectionState, order: readonly string[], id: string, shift: boolean): SelectionState {
  return shift ? selectRange(s, order, id) : toggle(s, id)
}

/** Every id in the list (what is loaded of it). */
export function selectAll(s: SelectionState, order: readonly string[]): SelectionState {
  return withSelected(s, new Set(order), s.anchor ?? order[0] ?? null)
}

/** Starts selecting with nothing selected yet ("Select"), so that a click on a tile selects it. */
export function begin(s: SelectionState): SelectionState {
  return s.active ? s : { ...s, active: true }
}

export function clear(): SelectionState {
  return EMPTY_SELECTION
}

/** Keeps only the ids still in the list (after some left it). Same state when nothing changed. */
export function prune(s: SelectionState, order: readonly string[]): SelectionState {
  if (s.selected.size === 0) return s
  const present = new Set(order)
  let gone = false
  for (const id of s.selected) if (!present.has(id)) gone = true
  if (!gone && (s.anchor === null || present.has(s.anchor))) return s
  const next = new Set([...s.selected].filter((id) => present.has(id)))
  return { selected: next, anchor: s.anchor !== null && present.has(s.anchor) ? s.anchor : null, active: s.active }
}

/** Keeps only `ids` selected (e.g. the ones an action failed for, to try again). */
export function retain(s: SelectionState, ids: Iterable<string>): SelectionState {
  const keep = new Set(ids)
  const next = new Set([...s.selected].filter((id) => keep.has(id)))
  if (next.size === 0) return EMPTY_SELECTION
  return { selected: next, anchor: s.anchor, active: true }
}

/** The selected ids in display order (ids not in `order` last, as they were selected). */
export function selectedInOrder(s: SelectionState, order: readonly string[]): string[] {
  const inOrder = order.filter((id) => s.selected.has(id))
  if (inOrder.length === s.selected.size) return inOrder
  const listed = new Set(inOrder)
  return [...inOrder, ...[...s.selected].filter((id) => !listed.has(id))]
}

/** A selection that components subscribe to (`useSyncExternalStore`). */
export interface SelectionStore {
  get: () => SelectionState
  /** The list's ids in display order (the page keeps it current). */
  order: () => readonly string[]
  setOrder: (order: readonly string[]) => void
  update: (f: (s: SelectionState, order: readonly string[]) => SelectionState) => void
  subscribe: (listener: () => void) => () => void
}

export function createSelectionStore(initial: SelectionState = EMPTY_SELECTION): SelectionStore {
  let state = initial
  let order: readonly string[] = []
  const listeners = new Set<() => void>()
  const emit = () => listeners.forEach((l) => l())
  return {
    get: () => state,
    order: () => order,
    setOrder: (o) => {
      order = o
      const pruned = prune(state, o)
      if (pruned !== state) {
        state = pruned
        emit()
      }
    },
    update: (f) => {
      const next = f(state, order)
      if (next === state) return
      state = next
      emit()
    },
    subscribe: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
  }
}

/** The time a finger rests on a tile before it counts as a long press (starts selecting). */
export const LONG_PRESS_MS = 450
/** How far (px) the finger may move and still be a press, not a scroll. */
export const LONG_PRESS_SLOP = 10

/**
 * Tells a long press from a tap or a scroll: `down` starts the clock, `move` beyond the slop or
 * `cancel` stops it, and `onLongPress` runs when the finger stayed put long enough. `fired`
 * says whether the press that just ended was a long one (its click should then do nothing else).
 */
export function createLongPress(
  onLongPress: () => void,
  timers: { set: (f: () => void, ms: number) => unknown; clear: (t: unknown) => void } = {
    set: (f, ms) => setTimeout(f, ms),
    clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  },
  ms = LONG_PRESS_MS,
  slop = LONG_PRESS_SLOP,
) {
  let timer: unknown = null
  let start: { x: number; y: number } | null = null
  let fired = false
  const stop = () => {
    if (timer !== null) timers.clear(timer)
    timer = null
    start = null
  }
  return {
    down(x: number, y: number) {
      stop()
      fired = false
      start = { x, y }
      timer = timers.set(() => {
        timer = null
        start = null
        fired = true
        onLongPress()
      }, ms)
    },
    move(x: number, y: number) {
      if (start && Math.hypot(x - start.x, y - start.y) > slop) stop()
    },
    up() {
      stop()
    },
    cancel() {
      stop()
      fired = false
    },
    /** A press still waiting counts as long now (the browser's own long-press menu came first). */
    fireNow() {
      if (timer === null) return false
      stop()
      fired = true
      onLongPress()
      return true
    },
    /** Whether the last press was a long one, without using that up. */
    peekFired() {
      return fired
    },
    /** True once after a long press (the click that follows it should be swallowed). */
    takeFired() {
      const f = fired
      fired = false
      return f
    },
  }
}
