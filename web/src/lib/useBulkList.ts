import { useCallback, useRef } from 'react'
import type { Dispatch, SetStateAction } from 'react'
import type { Image } from '../api/types'
import { applyBulk, changedImage, reinsert } from './bulk'
import type { BulkChange, ListView, Removed } from './bulk'
import { clearGalleries, removeFromGalleries, updateInGalleries } from './galleryCache'

/**
 * What a page does with a bulk action's result: its list follows (items leave or change), and
 * so do the gallery lists kept for "back"; Undo of a move to trash puts the items back where
 * they were. (The page's own effect keeps the image page's left/right order.)
 */
export function useBulkList<T>(
  items: readonly T[],
  setItems: Dispatch<SetStateAction<T[]>>,
  view: ListView,
  imageOf: (t: T) => Image,
  withImage: (t: T, img: Image) => T,
  albumId?: string | null,
): (change: BulkChange) => void {
  const current = useRef(items)
  current.current = items
  const removed = useRef<Removed<T>[]>([])
  const adapters = useRef({ imageOf, withImage })
  adapters.current = { imageOf, withImage }
  return useCallback(
    (change: BulkChange) => {
      const { imageOf, withImage } = adapters.current
      const key = (t: T) => imageOf(t).id
      let next: T[]
      if (change.action === 'restore' && view !== 'trash') {
        // Undo of a move to trash from this list.
        next = reinsert(current.current, removed.current.filter((r) => change.ids.has(key(r.item))), key)
        clearGalleries()
      } else {
        const r = applyBulk(current.current, change, view, imageOf, withImage, albumId)
        next = r.items
        if (r.removed.length) removed.current = r.removed
        if (change.action === 'trash') change.ids.forEach((id) => removeFromGalleries(id))
        else if (change.action === 'restore') clearGalleries()
        else
          for (const it of current.current) {
            const img = imageOf(it)
            const c = changedImage(img, change)
            if (c !== img) updateInGalleries(c)
          }
      }
      current.current = next
      setItems(next)
    },
    [setItems, view, albumId],
  )
}
