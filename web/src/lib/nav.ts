import type { ImageFilter } from '../api/endpoints'
import type { Library } from '../api/types'

/**
 * Remembers the order of the list the user last browsed (gallery, a label
 * filter, search results) so the image page can step left/right through it.
 */
export interface NavList {
  /** where the list came from, e.g. "/?label=abc" or "/search?q=cat" */
  source: string
  ids: string[]
  /** for gallery lists: cursor to fetch more, and the label filter */
  nextCursor: string | null
  label: string | null
  /** for gallery lists: whose images (absent: the caller's own) */
  scope?: Library | null
  /** for gallery lists: the other filters and the sort (absent: none, by date taken) */
  filter?: Omit<ImageFilter, 'label' | 'scope'>
  /** for an album's list: the album (its image page offers "remove from album") */
  album?: { id: string; name: string } | null
}

const KEY = 'banana.nav'

let memory: NavList | null = null

export function saveNavList(list: NavList): void {
  memory = list
  try {
    sessionStorage.setItem(KEY, JSON.stringify(list))
  } catch {
    // storage full or disabled: memory copy still works for this tab
  }
}

export function loadNavList(): NavList | null {
  if (memory) return memory
  try {
    const raw = sessionStorage.getItem(KEY)
    if (!raw) return null
    const v = JSON.parse(raw) as NavList
    if (!v || !Array.isArray(v.ids)) return null
    memory = v
    return v
  } catch {
    return null
  }
}

export function clearNavMemory(): void {
  memory = null
}

export function neighbours(ids: string[], id: string): { prev: string | null; next: string | null; index: number } {
  const i = ids.indexOf(id)
  if (i < 0) return { prev: null, next: null, index: -1 }
  return {
    prev: i > 0 ? ids[i - 1] : null,
    next: i < ids.length - 1 ? ids[i + 1] : null,
    index: i,
  }
}

export function removeFromNav(id: string): void {
  const l = loadNavList()
  if (!l) return
  saveNavList({ ...l, ids: l.ids.filter((x) => x !== id) })
}

/** True when a key event should not trigger page shortcuts (user is typing). */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!t || !(t instanceof HTMLElement)) return false
  const tag = t.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable === true
}
