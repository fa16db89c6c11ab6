import type { Image } from '../api/types'
import { removeItem, replaceItems } from './pagination'

/** Gallery lists kept across navigation so "back" shows them instantly at the same scroll spot. */
export interface GalleryState {
  items: Image[]
  nextCursor: string | null
  done: boolean
  scrollY: number
}

const cache = new Map<string, GalleryState>()

/** A list's cache key: its gallery path (scope and every filter; see galleryQuery.ts). */
export const galleryKey = (path: string) => path

export function getGallery(key: string): GalleryState | undefined {
  return cache.get(key)
}

export function setGallery(key: string, s: GalleryState): void {
  cache.set(key, s)
}

export function updateInGalleries(img: Image): void {
  for (const [k, s] of cache) {
    const items = replaceItems(s.items, [img], (i) => i.id)
    if (items !== s.items) cache.set(k, { ...s, items })
  }
}

export function removeFromGalleries(id: string): void {
  for (const [k, s] of cache) {
    const items = removeItem(s.items, id, (i) => i.id)
    if (items !== s.items) cache.set(k, { ...s, items })
  }
}

export function clearGalleries(): void {
  cache.clear()
}
