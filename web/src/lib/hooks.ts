import { useEffect, useRef, useState } from 'react'
import { getImage } from '../api/endpoints'
import type { Image } from '../api/types'

export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Banana` : 'Banana'
  }, [title])
}

/** Ids of items still being labeled, capped so a huge backlog does not flood the server. */
export function pendingIds(items: Image[], max = 24): string[] {
  const out: string[] = []
  for (const it of items) {
    if (it.status === 'pending') {
      out.push(it.id)
      if (out.length >= max) break
    }
  }
  return out
}

/**
 * While any of `items` is `pending`, re-fetch those ids every `intervalMs` and
 * hand changed ones to `onUpdate`. Skips while the tab is hidden. Stops by
 * itself when nothing is pending.
 */
export function usePendingPoll(items: Image[], onUpdate: (updated: Image[]) => void, intervalMs = 2500) {
  const ids = pendingIds(items)
  const key = ids.join(',')
  const cb = useRef(onUpdate)
  useEffect(() => {
    cb.current = onUpdate
  })
  useEffect(() => {
    if (!key) return
    const list = key.split(',')
    let stopped = false
    let timer: ReturnType<typeof setTimeout>
    const tick = async () => {
      if (stopped) return
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') {
        const results = await Promise.all(
          list.map((id) => getImage(id).catch(() => null)),
        )
        if (stopped) return
        const changed = results.filter((r): r is Image => !!r && r.status !== 'pending')
        if (changed.length) cb.current(changed)
      }
      if (!stopped) timer = setTimeout(tick, intervalMs)
    }
    timer = setTimeout(tick, intervalMs)
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [key, intervalMs])
}

/** Width of an element, kept current with ResizeObserver. */
export function useElementWidth<T extends HTMLElement>() {
  const ref = useRef<T | null>(null)
  const [width, setWidth] = useState(0)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    setWidth(el.clientWidth)
    if (typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) setWidth(Math.floor(e.contentRect.width))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return [ref, width] as const
}

/** Calls onVisible when the sentinel scrolls near the viewport. */
/** `version` should change after each load so a still-visible sentinel fires again. */
export function useInfiniteScroll(onVisible: () => void, enabled: boolean, version: number) {
  const ref = useRef<HTMLDivElement | null>(null)
  const cb = useRef(onVisible)
  useEffect(() => {
    cb.current = onVisible
  })
  useEffect(() => {
    const el = ref.current
    if (!el || !enabled || typeof IntersectionObserver === 'undefined') return
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) cb.current()
      },
      { rootMargin: '800px 0px' },
    )
    io.observe(el)
    return () => io.disconnect()
  }, [enabled, version])
  return ref
}
