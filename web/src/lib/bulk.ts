// What a bulk action (`POST /api/v1/images/bulk`) did, in words, and what it changes in a list
// that is on screen — so the list follows without being loaded again.
import type { BulkAction, BulkResponse } from '../api/types'
import type { Image, Visibility } from '../api/types'

/** Which list the action ran from: it decides what leaves the list. */
export type ListView = 'library' | 'search' | 'favorites' | 'album' | 'trash'

/** The part of an action that reached the server and worked. */
export interface BulkChange {
  action: BulkAction
  /** The ids it succeeded for. */
  ids: ReadonlySet<string>
  visibility?: Visibility
  albumId?: string
  /** For `tag` and `untag`. */
  tag?: string
}

/** "5 done", "4 done, 1 failed", "1 failed" — with the first reason when something failed. */
export function summarize(r: Pick<BulkResponse, 'results' | 'succeeded' | 'failed'>): { text: string; reason: string | null } {
  const parts: string[] = []
  if (r.succeeded > 0 || r.failed === 0) parts.push(`${r.succeeded} done`)
  if (r.failed > 0) parts.push(`${r.failed} failed`)
  const reasons = [...new Set(r.results.filter((x) => !x.ok).map((x) => x.error?.message).filter((m): m is string => !!m))]
  return { text: parts.join(', '), reason: reasons.length ? reasons.slice(0, 2).join('; ') : null }
}

/** Splits a response into the ids that worked and the ids that did not (asked but not answered: failed). */
export function outcome(asked: readonly string[], r: BulkResponse): { ok: Set<string>; failed: string[] } {
  const ok = new Set(r.results.filter((x) => x.ok).map((x) => x.id))
  return { ok, failed: asked.filter((id) => !ok.has(id)) }
}

/** Whether the action takes these images out of the list shown. */
export function leavesList(change: Pick<BulkChange, 'action' | 'albumId'>, view: ListView, albumId?: string | null): boolean {
  switch (change.action) {
    case 'trash':
      return view !== 'trash'
    case 'restore':
      return view === 'trash'
    case 'unfavorite':
      return view === 'favorites'
    case 'remove_from_album':
      return view === 'album' && (!change.albumId || change.albumId === albumId)
    default:
      return false
  }
}

/** An image as it is after the action (favourite, visibility); the same object when unchanged. */
export function changedImage(img: Image, change: BulkChange): Image {
  if (!change.ids.has(img.id)) return img
  switch (change.action) {
    case 'favorite':
      return img.favorite ? img : { ...img, favorite: true }
    case 'unfavorite':
      return img.favorite ? { ...img, favorite: false } : img
    case 'set_visibility':
      return change.visibility && img.visibility !== change.visibility ? { ...img, visibility: change.visibility } : img
    case 'tag': {
      const t = change.tag
      return t && !img.tags.some((x) => x.toLowerCase() === t.toLowerCase()) ? { ...img, tags: [...img.tags, t] } : img
    }
    case 'untag': {
      const t = change.tag?.toLowerCase()
      return t && img.tags.some((x) => x.toLowerCase() === t) ? { ...img, tags: img.tags.filter((x) => x.toLowerCase() !== t) } : img
    }
    default:
      return img
  }
}

/** A list item that left, and where it was (to put it back on Undo). */
export interface Removed<T> {
  item: T
  index: number
}

/**
 * The list after the action: items that leave it are taken out (and returned, with their
 * positions), the others updated. `imageOf`/`withImage` reach the image inside an item (a search
 * hit, a trash entry); for a plain list of images they are the identity.
 */
export function applyBulk<T>(
  items: readonly T[],
  change: BulkChange,
  view: ListView,
  imageOf: (t: T) => Image,
  withImage: (t: T, img: Image) => T,
  albumId?: string | null,
): { items: T[]; removed: Removed<T>[] } {
  const leaves = leavesList(change, view, albumId)
  const out: T[] = []
  const removed: Removed<T>[] = []
  items.forEach((it, index) => {
    const img = imageOf(it)
    if (leaves && change.ids.has(img.id)) {
      removed.push({ item: it, index })
      return
    }
    const next = changedImage(img, change)
    out.push(next === img ? it : withImage(it, next))
  })
  return { items: out, removed }
}

/** Puts removed items back where they were (Undo), skipping any that are in the list again. */
export function reinsert<T>(items: readonly T[], removed: readonly Removed<T>[], key: (t: T) => string): T[] {
  const present = new Set(items.map(key))
  const out = items.slice()
  for (const r of [...removed].sort((a, b) => a.index - b.index)) {
    if (present.has(key(r.item))) continue
    out.splice(Math.min(r.index, out.length), 0, r.item)
    present.add(key(r.item))
  }
  return out
}
