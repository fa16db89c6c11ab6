// The app's upload queue. It lives above the routes (see UploadProvider), so uploads keep going
// and stay listed while the user browses other pages. Framework-free: React reads it through
// useSyncExternalStore, tests drive it directly.
import type { Image } from '../api/types'
import { BoundedQueue } from './queue'
import { browserCanShow, looksLikeImage, uploadFile } from './upload'
import type { UploadFields, UploadHandle, UploadOutcome } from './upload'
import { isRetryable } from './uploadErrors'

export const UPLOAD_CONCURRENCY = 3

export type ItemState = 'queued' | 'uploading' | 'processing' | 'done' | 'duplicate' | 'rejected'

export interface UploadItem {
  key: string
  file: File
  /** A blob: URL of the file itself, when the browser can show it. */
  previewUrl: string | null
  /** 0..1 of the bytes sent. */
  progress: number
  state: ItemState
  outcome?: UploadOutcome
  /** The title, attribution and visibility chosen when the file was added. */
  fields: UploadFields
  /** Where the file came from in a dropped or chosen folder ("Trip/day 1/img.jpg"), if so. */
  path?: string
}

/** Files left out of the last batch (not photos by their name). */
export interface SkippedNote {
  count: number
  /** A few of their names. */
  names: string[]
}

export interface UploadSnapshot {
  items: UploadItem[]
  /** Title, attribution and visibility for the files added next (the Upload page's options). */
  fields: UploadFields
  skipped: SkippedNote | null
  /** Bytes per second over the last few seconds, or null before there is enough to tell. */
  rate: number | null
}

export type Uploader = (file: File, fields: UploadFields, onProgress: (fraction: number) => void) => UploadHandle

export interface UploadStoreOptions {
  upload?: Uploader
  concurrency?: number
  now?: () => number
  /** Makes the local preview URL (blob:) of a file; null when none. */
  preview?: (file: File) => string | null
  /** Called for each image the server took. */
  onUploaded?: (image: Image) => void
}

const FINISHED: ReadonlySet<ItemState> = new Set(['done', 'duplicate', 'rejected'])
export const isFinished = (s: ItemState) => FINISHED.has(s)
export const isActive = (s: ItemState) => !FINISHED.has(s)

/** Files people do not think of as files: never uploaded, never counted as skipped. */
export function isJunkFile(name: string): boolean {
  const base = name.split('/').pop() ?? name
  return base.startsWith('.') || /^(thumbs\.db|desktop\.ini|icon\r?)$/i.test(base)
}

/** Split what was chosen or dropped into photos to upload and files to skip. */
export function partitionFiles(files: Iterable<File>): { photos: File[]; skipped: File[] } {
  const photos: File[] = []
  const skipped: File[] = []
  for (const f of files) {
    if (isJunkFile(relPath(f))) continue
    ;(looksLikeImage(f) ? photos : skipped).push(f)
  }
  return { photos, skipped }
}

function relPath(f: File): string {
  return (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name
}

/** Upload rate from (time, bytes sent so far) samples in a sliding window. */
export class RateMeter {
  private samples: Array<{ t: number; bytes: number }> = []
  private readonly windowMs: number
  constructor(windowMs = 6000) {
    this.windowMs = windowMs
  }

  add(t: number, totalBytes: number): void {
    const last = this.samples[this.samples.length - 1]
    if (last && t <= last.t) {
      last.bytes = Math.max(last.bytes, totalBytes)
      return
    }
    this.samples.push({ t, bytes: totalBytes })
    while (this.samples.length > 2 && this.samples[0].t < t - this.windowMs) this.samples.shift()
  }

  /** Bytes per second, or null with less than half a second of samples. */
  rate(): number | null {
    if (this.samples.length < 2) return null
    const a = this.samples[0]
    const b = this.samples[this.samples.length - 1]
    const dt = b.t - a.t
    if (dt < 500) return null
    return Math.max(0, ((b.bytes - a.bytes) * 1000) / dt)
  }

  reset(): void {
    this.samples = []
  }
}

export interface UploadSummary {
  total: number
  active: number
  uploading: number
  queued: number
  processing: number
  done: number
  duplicate: number
  rejected: number
  /** Rejected ones worth another try (see isRetryable). */
  retryable: number
  finished: number
  /** Bytes of the files still to send or being sent, and of everything in the list. */
  bytesTotal: number
  bytesSent: number
  bytesLeft: number
  /** 0..1 over the whole list (finished files count in full). */
  fraction: number
}

export function summarize(items: readonly UploadItem[]): UploadSummary {
  const s: UploadSummary = {
    total: items.length, active: 0, uploading: 0, queued: 0, processing: 0, done: 0, duplicate: 0,
    rejected: 0, retryable: 0, finished: 0, bytesTotal: 0, bytesSent: 0, bytesLeft: 0, fraction: 0,
  }
  for (const it of items) {
    const size = it.file.size
    s.bytesTotal += size
    switch (it.state) {
      case 'queued': s.queued++; break
      case 'uploading': s.uploading++; break
      case 'processing': s.processing++; break
      case 'done': s.done++; break
      case 'duplicate': s.duplicate++; break
      case 'rejected':
        s.rejected++
        if (it.outcome?.kind === 'rejected' && isRetryable(it.outcome)) s.retryable++
        break
    }
    if (isFinished(it.state)) {
      s.finished++
      s.bytesSent += size
    } else {
      s.active++
      const sent = it.state === 'queued' ? 0 : size * Math.min(1, Math.max(0, it.progress))
      s.bytesSent += sent
      s.bytesLeft += size - sent
    }
  }
  s.fraction = s.bytesTotal > 0 ? s.bytesSent / s.bytesTotal : s.total > 0 && s.active === 0 ? 1 : 0
  return s
}

/** Seconds left at this rate, or null when it cannot be told (no rate yet, or stalled). */
export function secondsLeft(bytesLeft: number, rate: number | null): number | null {
  if (bytesLeft <= 0) return 0
  if (!rate || rate <= 0) return null
  return bytesLeft / rate
}

/** "about 5 s left", "about 3 min left", "about 1 h 20 min left"; rounded as people say it. */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null
  if (seconds < 1) return 'almost done'
  if (seconds < 60) return `about ${Math.max(5, Math.ceil(seconds / 5) * 5)} s left`
  const min = Math.round(seconds / 60)
  if (min < 60) return `about ${min} min left`
  const h = Math.floor(min / 60)
  const m = min % 60
  return `about ${h} h${m ? ` ${m} min` : ''} left`
}

/** "1.2 MB/s" */
export function formatRate(bytesPerSecond: number | null): string | null {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond)) return null
  if (bytesPerSecond < 1024) return `${Math.round(bytesPerSecond)} B/s`
  if (bytesPerSecond < 1024 * 1024) return `${Math.round(bytesPerSecond / 1024)} KB/s`
  return `${(bytesPerSecond / (1024 * 1024)).toFixed(1)} MB/s`
}

let seq = 0

export class UploadStore {
  private snapshot: UploadSnapshot = { items: [], fields: { visibility: 'private' }, skipped: null, rate: null }
  private readonly listeners = new Set<() => void>()
  private readonly queue: BoundedQueue
  private readonly handles = new Map<string, UploadHandle>()
  /** Bumped on each (re)try of an item, so the answer of an abandoned try is ignored. */
  private readonly attempts = new Map<string, number>()
  private readonly meter = new RateMeter()
  /** Bytes sent in total (all tries), for the rate. */
  private sent = 0
  private readonly upload: Uploader
  private readonly now: () => number
  private readonly preview: (file: File) => string | null
  private readonly onUploaded?: (image: Image) => void

  constructor(opts: UploadStoreOptions = {}) {
    this.queue = new BoundedQueue(opts.concurrency ?? UPLOAD_CONCURRENCY)
    this.upload = opts.upload ?? uploadFile
    this.now = opts.now ?? (() => Date.now())
    this.preview =
      opts.preview ??
      ((f) => (typeof URL !== 'undefined' && typeof URL.createObjectURL === 'function' && browserCanShow(f) ? URL.createObjectURL(f) : null))
    this.onUploaded = opts.onUploaded
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  getSnapshot = (): UploadSnapshot => this.snapshot

  private set(patch: Partial<UploadSnapshot>) {
    this.snapshot = { ...this.snapshot, ...patch }
    for (const l of this.listeners) l()
  }

  private patchItem(key: string, patch: Partial<UploadItem>) {
    this.set({ items: this.snapshot.items.map((it) => (it.key === key ? { ...it, ...patch } : it)) })
  }

  private item(key: string): UploadItem | undefined {
    return this.snapshot.items.find((it) => it.key === key)
  }

  /**
   * Queue the photos among `files` (others are skipped and reported). `paths` gives a file's
   * place in a folder, when it came from one. Returns how many were queued.
   */
  add(files: Iterable<File>, fields: UploadFields = this.snapshot.fields, paths?: Map<File, string>): number {
    const { photos, skipped } = partitionFiles(files)
    const fresh: UploadItem[] = photos.map((file) => ({
      key: `u${++seq}`,
      file,
      previewUrl: this.preview(file),
      progress: 0,
      state: 'queued',
      fields: { ...fields },
      path: paths?.get(file) ?? ((file as File & { webkitRelativePath?: string }).webkitRelativePath || undefined),
    }))
    const skippedNote = skipped.length ? { count: skipped.length, names: skipped.slice(0, 3).map((f) => relPath(f)) } : null
    if (this.snapshot.items.every((it) => isFinished(it.state))) {
      this.meter.reset()
    }
    this.set({ items: [...this.snapshot.items, ...fresh], skipped: skippedNote })
    for (const it of fresh) this.start(it.key)
    return fresh.length
  }

  private start(key: string) {
    const attempt = (this.attempts.get(key) ?? 0) + 1
    this.attempts.set(key, attempt)
    void this.queue.push(async () => {
      const it = this.item(key)
      // Cancelled (or removed) while it waited.
      if (!it || it.state !== 'queued' || this.attempts.get(key) !== attempt) return
      let lastFraction = 0
      const h = this.upload(it.file, it.fields, (fraction) => {
        if (this.attempts.get(key) !== attempt) return
        const delta = Math.max(0, fraction - lastFraction) * it.file.size
        lastFraction = Math.max(lastFraction, fraction)
        this.sent += delta
        this.meter.add(this.now(), this.sent)
        this.patchItem(key, { progress: fraction, state: fraction >= 1 ? 'processing' : 'uploading' })
        this.set({ rate: this.meter.rate() })
      })
      this.handles.set(key, h)
      this.patchItem(key, { state: 'uploading' })
      const outcome = await h.promise
      this.handles.delete(key)
      if (this.attempts.get(key) !== attempt) return
      const state: ItemState = outcome.kind === 'done' ? 'done' : outcome.kind === 'duplicate' ? 'duplicate' : 'rejected'
      this.patchItem(key, { state, outcome, progress: 1 })
      if (!this.snapshot.items.some((x) => isActive(x.state))) this.set({ rate: null })
      if (outcome.kind === 'done') this.onUploaded?.(outcome.image)
    })
  }

  /** Stop one upload (or take it out of the queue). */
  cancel(key: string): void {
    const it = this.item(key)
    if (!it || isFinished(it.state)) return
    const h = this.handles.get(key)
    if (h) {
      h.abort() // its promise resolves as "aborted"
    } else {
      this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1)
      this.patchItem(key, { state: 'rejected', outcome: { kind: 'rejected', status: 0, code: 'aborted', message: 'Upload cancelled.' } })
    }
  }

  /** Stop everything still going. */
  cancelAll(): void {
    for (const it of this.snapshot.items) this.cancel(it.key)
  }

  /** Try one failed upload again. */
  retry(key: string): boolean {
    const it = this.item(key)
    if (!it || it.state !== 'rejected') return false
    this.patchItem(key, { state: 'queued', progress: 0, outcome: undefined })
    this.start(key)
    return true
  }

  /** Try again every failed upload that may go through (see isRetryable). Returns how many. */
  retryFailed(): number {
    let n = 0
    for (const it of this.snapshot.items) {
      if (it.state === 'rejected' && it.outcome?.kind === 'rejected' && isRetryable(it.outcome) && this.retry(it.key)) n++
    }
    return n
  }

  /** Take finished uploads off the list (their photos stay in the library). */
  clearFinished(): void {
    const keep: UploadItem[] = []
    for (const it of this.snapshot.items) {
      if (isFinished(it.state)) {
        if (it.previewUrl && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(it.previewUrl)
        this.attempts.delete(it.key)
      } else keep.push(it)
    }
    this.set({ items: keep, skipped: null })
  }

  /** The options for the files added next. */
  setFields(patch: Partial<UploadFields>): void {
    this.set({ fields: { ...this.snapshot.fields, ...patch } })
  }

  dismissSkipped(): void {
    this.set({ skipped: null })
  }

  /** A fresher copy of an uploaded image (labels arrived). */
  updateImage(img: Image): void {
    let changed = false
    const items = this.snapshot.items.map((it) => {
      if (it.outcome?.kind === 'done' && it.outcome.image.id === img.id) {
        changed = true
        return { ...it, outcome: { kind: 'done' as const, image: img } }
      }
      return it
    })
    if (changed) this.set({ items })
  }
}
