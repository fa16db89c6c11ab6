import { describe, expect, it } from 'vitest'
import { makeImage } from '../test/fixtures'
import type { UploadFields, UploadHandle, UploadOutcome } from './upload'
import { formatRate, formatTimeLeft, partitionFiles, RateMeter, secondsLeft, summarize, UploadStore } from './uploadStore'

/** An uploader the test drives by hand. */
function fakeUploader() {
  const calls: Array<{ file: File; fields: UploadFields; progress: (f: number) => void; finish: (o: UploadOutcome) => void; aborted: boolean }> = []
  const upload = (file: File, fields: UploadFields, progress: (f: number) => void): UploadHandle => {
    let finish!: (o: UploadOutcome) => void
    const promise = new Promise<UploadOutcome>((r) => (finish = r))
    const call = { file, fields, progress, finish, aborted: false }
    calls.push(call)
    return {
      promise,
      abort: () => {
        call.aborted = true
        finish({ kind: 'rejected', status: 0, code: 'aborted', message: 'Upload cancelled.' })
      },
    }
  }
  return { calls, upload }
}

const jpg = (name: string, size = 1000) => new File([new Uint8Array(size)], name, { type: 'image/jpeg' })
const tick = () => new Promise((r) => setTimeout(r, 0))
const states = (s: UploadStore) => s.getSnapshot().items.map((i) => i.state)

describe('UploadStore', () => {
  it('runs 3 at a time, reports progress, and finishes each file with its outcome', async () => {
    const { calls, upload } = fakeUploader()
    const done: string[] = []
    const store = new UploadStore({ upload, preview: () => null, onUploaded: (img) => done.push(img.id) })
    let notified = 0
    store.subscribe(() => notified++)
    expect(store.add(['a', 'b', 'c', 'd'].map((n) => jpg(`${n}.jpg`)))).toBe(4)
    await tick()
    expect(calls.map((c) => c.file.name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg'])
    expect(states(store)).toEqual(['uploading', 'uploading', 'uploading', 'queued'])
    calls[0].progress(0.5)
    expect(store.getSnapshot().items[0].progress).toBe(0.5)
    calls[0].progress(1)
    expect(states(store)[0]).toBe('processing')
    calls[0].finish({ kind: 'done', image: makeImage('img-a') })
    await tick()
    await tick()
    expect(calls).toHaveLength(4)
    calls[1].finish({ kind: 'duplicate', imageId: 'old', message: 'x' })
    calls[2].finish({ kind: 'rejected', status: 422, code: 'undecodable', message: 'bad' })
    calls[3].finish({ kind: 'done', image: makeImage('img-d') })
    await tick()
    expect(states(store)).toEqual(['done', 'duplicate', 'rejected', 'done'])
    expect(done).toEqual(['img-a', 'img-d'])
    expect(notified).toBeGreaterThan(5)
    const s = summarize(store.getSnapshot().items)
    expect(s).toMatchObject({ total: 4, finished: 4, done: 2, duplicate: 1, rejected: 1, retryable: 0, active: 0, fraction: 1 })
  })

  it('uses the options chosen for the next files, and skips what is not a photo', async () => {
    const { calls, upload } = fakeUploader()
    const store = new UploadStore({ upload, preview: () => null })
    store.setFields({ title: 'Holiday', visibility: 'public' })
    store.add([jpg('x.jpg'), new File(['t'], 'notes.txt', { type: 'text/plain' }), new File(['m'], 'clip.mov'), new File([''], '.DS_Store')])
    await tick()
    expect(calls[0].fields).toEqual({ title: 'Holiday', visibility: 'public' })
    expect(store.getSnapshot().skipped).toEqual({ count: 2, names: ['notes.txt', 'clip.mov'] })
    store.setFields({ title: '' })
    store.add([jpg('y.jpg')])
    await tick()
    expect(calls[1].fields.title).toBe('')
    expect(store.getSnapshot().skipped).toBeNull()
  })

  it('"Retry failed" tries again what the server or network failed, not broken files', async () => {
    const { calls, upload } = fakeUploader()
    const store = new UploadStore({ upload, preview: () => null })
    store.add([jpg('net.jpg'), jpg('broken.jpg'), jpg('full.jpg')])
    await tick()
    calls[0].finish({ kind: 'rejected', status: 0, code: 'network_error', message: '' })
    calls[1].finish({ kind: 'rejected', status: 422, code: 'undecodable', message: '' })
    calls[2].finish({ kind: 'rejected', status: 507, code: 'quota_exceeded', message: '' })
    await tick()
    expect(summarize(store.getSnapshot().items).retryable).toBe(2)
    expect(store.retryFailed()).toBe(2)
    expect(states(store)).toEqual(['uploading', 'rejected', 'uploading'])
    await tick()
    expect(calls.slice(3).map((c) => c.file.name)).toEqual(['net.jpg', 'full.jpg'])
    calls[3].finish({ kind: 'done', image: makeImage('n') })
    await tick()
    expect(states(store)[0]).toBe('done')
  })

  it('cancels a running upload and a queued one; cancelled ones can be retried', async () => {
    const { calls, upload } = fakeUploader()
    const store = new UploadStore({ upload, preview: () => null, concurrency: 1 })
    store.add([jpg('1.jpg'), jpg('2.jpg')])
    await tick()
    const [k1, k2] = store.getSnapshot().items.map((i) => i.key)
    store.cancel(k2) // still queued: never sent
    store.cancel(k1)
    await tick()
    expect(calls).toHaveLength(1)
    expect(calls[0].aborted).toBe(true)
    expect(states(store)).toEqual(['rejected', 'rejected'])
    expect(store.retry(k2)).toBe(true)
    await tick()
    expect(calls.map((c) => c.file.name)).toEqual(['1.jpg', '2.jpg'])
  })

  it('clears finished uploads and keeps running ones', async () => {
    const { calls, upload } = fakeUploader()
    const store = new UploadStore({ upload, preview: () => null })
    store.add([jpg('a.jpg'), jpg('b.jpg')])
    await tick()
    calls[0].finish({ kind: 'done', image: makeImage('a') })
    await tick()
    store.clearFinished()
    expect(store.getSnapshot().items.map((i) => i.file.name)).toEqual(['b.jpg'])
  })

  it('keeps uploaded images fresh (labels arriving)', async () => {
    const { calls, upload } = fakeUploader()
    const store = new UploadStore({ upload, preview: () => null })
    store.add([jpg('a.jpg')])
    await tick()
    calls[0].finish({ kind: 'done', image: makeImage('a', { status: 'pending', labels: [] }) })
    await tick()
    store.updateImage(makeImage('a'))
    const o = store.getSnapshot().items[0].outcome
    expect(o?.kind === 'done' && o.image.status).toBe('ready')
  })

  it('measures the rate from the bytes sent', async () => {
    const { calls, upload } = fakeUploader()
    let now = 0
    const store = new UploadStore({ upload, preview: () => null, now: () => now })
    store.add([jpg('big.jpg', 10_000_000)])
    await tick()
    calls[0].progress(0.1)
    now = 1000
    calls[0].progress(0.3) // 2 MB in 1 s
    expect(store.getSnapshot().rate).toBeCloseTo(2_000_000)
    const s = summarize(store.getSnapshot().items)
    expect(s.bytesLeft).toBe(7_000_000)
    expect(secondsLeft(s.bytesLeft, store.getSnapshot().rate)).toBeCloseTo(3.5)
  })
})

describe('progress arithmetic', () => {
  it('summarizes bytes over finished, running and waiting files', () => {
    const f = (size: number) => new File([new Uint8Array(size)], 'x.jpg')
    const items = [
      { key: '1', file: f(100), previewUrl: null, progress: 1, state: 'done' as const, fields: {} },
      { key: '2', file: f(100), previewUrl: null, progress: 0.5, state: 'uploading' as const, fields: {} },
      { key: '3', file: f(200), previewUrl: null, progress: 0, state: 'queued' as const, fields: {} },
    ]
    expect(summarize(items)).toMatchObject({ bytesTotal: 400, bytesSent: 150, bytesLeft: 250, fraction: 150 / 400, active: 2 })
  })
  it('the rate is over a sliding window and needs half a second of samples', () => {
    const m = new RateMeter(5000)
    m.add(0, 0)
    m.add(200, 1000)
    expect(m.rate()).toBeNull()
    m.add(1000, 5000)
    expect(m.rate()).toBe(5000)
    m.add(10_000, 5000) // stalled: old samples drop out
    m.add(11_000, 5000)
    expect(m.rate()).toBe(0)
  })
  it('time left, said as people say it', () => {
    expect(secondsLeft(0, null)).toBe(0)
    expect(secondsLeft(100, null)).toBeNull()
    expect(formatTimeLeft(null)).toBeNull()
    expect(formatTimeLeft(0.5)).toBe('almost done')
    expect(formatTimeLeft(2)).toBe('about 5 s left')
    expect(formatTimeLeft(42)).toBe('about 45 s left')
    expect(formatTimeLeft(150)).toBe('about 3 min left')
    expect(formatTimeLeft(3600 + 20 * 60)).toBe('about 1 h 20 min left')
    expect(formatTimeLeft(7200)).toBe('about 2 h left')
    expect(formatRate(1536)).toBe('2 KB/s')
    expect(formatRate(3.5 * 1024 * 1024)).toBe('3.5 MB/s')
  })
  it('folders: photos by extension; junk files are not even counted', () => {
    const { photos, skipped } = partitionFiles([
      new File([''], 'IMG_1.HEIC'),
      new File([''], 'b.jpeg'),
      new File([''], 'logo.svg', { type: 'image/svg+xml' }),
      new File([''], 'Thumbs.db'),
      new File([''], '._IMG_1.HEIC'),
      new File([''], 'README'),
    ])
    expect(photos.map((f) => f.name)).toEqual(['IMG_1.HEIC', 'b.jpeg'])
    expect(skipped.map((f) => f.name)).toEqual(['logo.svg', 'README'])
  })
})
