// The upload queue as app-level state: one UploadStore for the whole app (see App.tsx), so an
// upload keeps going, and stays listed, while the user browses other pages.
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { ReactNode } from 'react'
import type { Image } from '../api/types'
import { clearGalleries } from './galleryCache'
import { usePendingPoll } from './hooks'
import { isActive, UploadStore } from './uploadStore'
import type { UploadSnapshot, UploadStoreOptions } from './uploadStore'

const Ctx = createContext<UploadStore | null>(null)

/** Fired on window when the server took an upload (galleries refresh). */
export const UPLOADED_EVENT = 'banana:uploaded'

export function UploadProvider({ children, options }: { children: ReactNode; options?: UploadStoreOptions }) {
  const [store] = useState(
    () =>
      new UploadStore({
        onUploaded: () => {
          clearGalleries()
          window.dispatchEvent(new Event(UPLOADED_EVENT))
        },
        ...options,
      }),
  )
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot)

  // Labels arrive after the upload: keep the uploaded images fresh wherever the user is.
  const uploaded = snap.items.flatMap((it) => (it.outcome?.kind === 'done' && it.outcome.image.urls ? [it.outcome.image] : []))
  usePendingPoll(uploaded, (updated: Image[]) => updated.forEach((img) => store.updateImage(img)))

  // Leaving or reloading the page would stop the uploads: ask first.
  const busy = snap.items.some((it) => isActive(it.state))
  useEffect(() => {
    if (!busy) return
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault()
      e.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [busy])

  return <Ctx.Provider value={store}>{children}</Ctx.Provider>
}

export function useUploadStore(): UploadStore {
  const s = useContext(Ctx)
  if (!s) throw new Error('useUploadStore outside UploadProvider')
  return s
}

export function useUploads(): UploadSnapshot {
  const store = useUploadStore()
  return useSyncExternalStore(store.subscribe, store.getSnapshot)
}

/** Calls `onUploaded` (at most once every `waitMs`) after uploads the server took. */
export function useOnUploaded(onUploaded: () => void, waitMs = 1200) {
  const cb = useRef(onUploaded)
  useEffect(() => {
    cb.current = onUploaded
  })
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const on = () => {
      if (timer) return
      timer = setTimeout(() => {
        timer = null
        cb.current()
      }, waitMs)
    }
    window.addEventListener(UPLOADED_EVENT, on)
    return () => {
      window.removeEventListener(UPLOADED_EVENT, on)
      if (timer) clearTimeout(timer)
    }
  }, [waitMs])
}
