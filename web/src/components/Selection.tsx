import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { MouseEvent, PointerEvent as ReactPointerEvent, ReactNode } from 'react'
import { isTypingTarget } from '../lib/nav'
import { begin, clear, click, createLongPress, createSelectionStore, selectAll } from '../lib/selection'
import type { SelectionState, SelectionStore } from '../lib/selection'

import './library.css'

const Ctx = createContext<SelectionStore | null>(null)

/**
 * Makes the tiles inside selectable (when `enabled`: signed in). `order` is the list's ids in
 * display order (for Shift ranges and "select all"); a list further down can give it instead
 * (`useSelectionOrder`). Escape clears the selection.
 */
export function SelectionProvider({
  order,
  enabled = true,
  children,
}: {
  order?: readonly string[]
  enabled?: boolean
  children: ReactNode
}) {
  const [store] = useState(() => createSelectionStore())
  useLayoutEffect(() => {
    if (order) store.setOrder(order)
  }, [store, order])
  useEffect(() => {
    if (!enabled) store.update(clear)
  }, [store, enabled])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !store.get().active || isTypingTarget(e.target)) return
      store.update(clear)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])
  return <Ctx.Provider value={enabled ? store : null}>{children}</Ctx.Provider>
}

/** Gives the enclosing selection the list's ids in display order. */
export function useSelectionOrder(order: readonly string[]): void {
  const store = useContext(Ctx)
  useLayoutEffect(() => {
    store?.setOrder(order)
  }, [store, order])
}

export const useSelectionStore = () => useContext(Ctx)

const noop = () => () => {}
const EMPTY = () => null

/** The whole selection state (re-renders on every change); null outside a provider. */
export function useSelectionState(): SelectionState | null {
  const store = useContext(Ctx)
  return useSyncExternalStore(store?.subscribe ?? noop, store ? store.get : EMPTY, store ? store.get : EMPTY)
}

/** Per tile: is it selected, is the list selecting (re-renders only when these change). */
function useTileState(store: SelectionStore | null, id: string): { selected: boolean; selecting: boolean } {
  const key = useSyncExternalStore(
    store?.subscribe ?? noop,
    () => (store ? `${store.get().selected.has(id) ? 1 : 0}${store.get().active ? 1 : 0}` : '00'),
    () => '00',
  )
  return { selected: key[0] === '1', selecting: key[1] === '1' }
}

export interface TileSelection {
  selected: boolean
  selecting: boolean
  /** On the tile's link: while selecting (or with Shift) a click selects instead of opening. */
  onLinkClick: (e: MouseEvent) => void
  /** On the tile: a long press with a finger starts selecting. */
  pressHandlers: {
    onPointerDown: (e: ReactPointerEvent) => void
    onPointerMove: (e: ReactPointerEvent) => void
    onPointerUp: () => void
    onPointerCancel: () => void
    onContextMenu: (e: MouseEvent) => void
  }
  /** On the check: toggles, Shift selects a range. */
  onCheck: (e: MouseEvent) => void
}

/** What a tile needs to be selectable; null outside a SelectionProvider. */
export function useTileSelection(id: string): TileSelection | null {
  const store = useContext(Ctx)
  const { selected, selecting } = useTileState(store, id)
  const press = useRef<ReturnType<typeof createLongPress> | null>(null)
  if (store && !press.current) {
    press.current = createLongPress(() => {
      // A long press selects the tile (and so starts selecting); on a selected tile it stays.
      store.update((s, order) => (s.selected.has(id) ? s : click(s, order, id, false)))
      navigator.vibrate?.(20)
    })
  }
  useEffect(() => () => press.current?.cancel(), [])
  if (!store) return null
  const lp = press.current!
  return {
    selected,
    selecting,
    onLinkClick: (e) => {
      if (lp.takeFired()) {
        e.preventDefault()
        return
      }
      // Cmd/Ctrl-click still opens in a new tab when not selecting.
      if (!store.get().active && !e.shiftKey) return
      e.preventDefault()
      store.update((s, order) => click(s, order, id, e.shiftKey))
    },
    onCheck: (e) => {
      e.preventDefault()
      e.stopPropagation()
      if (lp.takeFired()) return
      store.update((s, order) => click(s, order, id, e.shiftKey))
    },
    pressHandlers: {
      onPointerDown: (e) => {
        if (e.pointerType === 'mouse' || e.button > 0) return
        lp.down(e.clientX, e.clientY)
      },
      onPointerMove: (e) => lp.move(e.clientX, e.clientY),
      onPointerUp: () => lp.up(),
      onPointerCancel: () => lp.cancel(),
      onContextMenu: (e) => {
        // A phone's own long-press menu (save image, open in tab) would cover the selection.
        if (lp.fireNow() || lp.peekFired()) e.preventDefault()
      },
    },
  }
}

/** The round check on a tile. */
export function SelectCheck({ selected, label, onCheck }: { selected: boolean; label: string; onCheck: (e: MouseEvent) => void }) {
  return (
    <button
      type="button"
      role="checkbox"
      aria-checked={selected}
      aria-label={label}
      className={'tile-check' + (selected ? ' is-on' : '')}
      onClick={onCheck}
      data-testid="tile-select"
    >
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="12" cy="12" r="10" />
        <path d="M7.5 12.5l3 3 6-6.5" />
      </svg>
    </button>
  )
}

/** "Select" in a page's head: starts selecting without a long press or a check (touch, keyboard). */
export function SelectButton({ disabled }: { disabled?: boolean }) {
  const store = useContext(Ctx)
  const state = useSelectionState()
  if (!store || !state) return null
  return state.active ? (
    <button type="button" className="btn btn-secondary" onClick={() => store.update(clear)} data-testid="select-cancel">
      Cancel selection
    </button>
  ) : (
    <button type="button" className="btn btn-secondary" onClick={() => store.update(begin)} disabled={disabled} data-testid="select-start">
      Select
    </button>
  )
}

/** "Select all" of what is loaded. */
export function selectAllLoaded(store: SelectionStore): void {
  store.update((s, order) => selectAll(s, order))
}
