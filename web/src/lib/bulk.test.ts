import { describe, expect, it } from 'vitest'
import { makeImage } from '../test/fixtures'
import { applyBulk, changedImage, leavesList, outcome, reinsert, summarize } from './bulk'
import type { BulkChange } from './bulk'
import type { Image } from '../api/types'

const same = (i: Image) => i
const put = (_i: Image, img: Image) => img
const change = (action: BulkChange['action'], ids: string[], extra: Partial<BulkChange> = {}): BulkChange => ({ action, ids: new Set(ids), ...extra })

describe('bulk results', () => {
  it('says what was done and what failed, with the reasons', () => {
    const r = {
      results: [
        { id: 'a', ok: true, error: null },
        { id: 'b', ok: false, error: { code: 'not_found', message: 'no such image' } },
        { id: 'c', ok: false, error: { code: 'not_found', message: 'no such image' } },
      ],
      succeeded: 1,
      failed: 2,
    }
    expect(summarize(r)).toEqual({ text: '1 done, 2 failed', reason: 'no such image' })
    expect(summarize({ results: [{ id: 'a', ok: true, error: null }], succeeded: 1, failed: 0 })).toEqual({ text: '1 done', reason: null })
    expect(summarize({ results: [{ id: 'a', ok: false, error: { code: 'x', message: 'nope' } }], succeeded: 0, failed: 1 }).text).toBe('1 failed')
    // an id the server did not answer for counts as failed
    expect(outcome(['a', 'b', 'z'], r)).toEqual({ ok: new Set(['a']), failed: ['b', 'z'] })
  })

  it('knows which actions take images out of which list', () => {
    expect(leavesList(change('trash', []), 'library')).toBe(true)
    expect(leavesList(change('trash', []), 'trash')).toBe(false)
    expect(leavesList(change('restore', []), 'trash')).toBe(true)
    expect(leavesList(change('unfavorite', []), 'favorites')).toBe(true)
    expect(leavesList(change('unfavorite', []), 'library')).toBe(false)
    expect(leavesList(change('remove_from_album', [], { albumId: 'al1' }), 'album', 'al1')).toBe(true)
    expect(leavesList(change('remove_from_album', [], { albumId: 'al2' }), 'album', 'al1')).toBe(false)
    expect(leavesList(change('add_to_album', [], { albumId: 'al1' }), 'album', 'al1')).toBe(false)
  })

  it('updates favourites and visibility in place, and removes trashed items with their places', () => {
    const items = ['a', 'b', 'c', 'd'].map((id) => makeImage(id))
    const fav = applyBulk(items, change('favorite', ['b', 'c']), 'library', same, put)
    expect(fav.items.map((i) => i.favorite)).toEqual([false, true, true, false])
    expect(fav.items[0]).toBe(items[0])
    expect(fav.removed).toEqual([])
    const pub = applyBulk(items, change('set_visibility', ['a'], { visibility: 'public' }), 'search', same, put)
    expect(pub.items.map((i) => i.visibility)).toEqual(['public', 'private', 'private', 'private'])
    const gone = applyBulk(items, change('trash', ['b', 'd']), 'library', same, put)
    expect(gone.items.map((i) => i.id)).toEqual(['a', 'c'])
    expect(gone.removed.map((r) => [r.item.id, r.index])).toEqual([['b', 1], ['d', 3]])
    // Undo puts them back where they were
    expect(reinsert(gone.items, gone.removed, (i) => i.id).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd'])
    // unfavouriting in Favourites takes them out
    const favs = items.map((i) => ({ ...i, favorite: true }))
    expect(applyBulk(favs, change('unfavorite', ['a']), 'favorites', same, put).items.map((i) => i.id)).toEqual(['b', 'c', 'd'])
  })

  it('reaches the image inside other items (search hits)', () => {
    const hits = ['a', 'b'].map((id) => ({ image: makeImage(id), score: 0.5 }))
    const r = applyBulk(hits, change('favorite', ['b']), 'search', (h) => h.image, (h, image) => ({ ...h, image }))
    expect(r.items[1]).toEqual({ image: { ...hits[1].image, favorite: true }, score: 0.5 })
    expect(r.items[0]).toBe(hits[0])
  })

  it('does not put back what is already there again', () => {
    const a = makeImage('a')
    const b = makeImage('b')
    expect(reinsert([a, b], [{ item: b, index: 0 }], (i) => i.id)).toEqual([a, b])
    expect(reinsert([a], [{ item: b, index: 7 }], (i) => i.id)).toEqual([a, b])
  })
})

describe('changedImage for tags', () => {
  it('adds a tag once whatever its case, and removes it in any case', () => {
    const img = makeImage('a', { tags: ['Beach'] })
    const tagged = changedImage(img, { action: 'tag', ids: new Set(['a']), tag: 'summer' })
    expect(tagged.tags).toEqual(['Beach', 'summer'])
    expect(changedImage(tagged, { action: 'tag', ids: new Set(['a']), tag: 'SUMMER' })).toBe(tagged)
    expect(changedImage(tagged, { action: 'untag', ids: new Set(['a']), tag: 'beach' }).tags).toEqual(['summer'])
    expect(changedImage(img, { action: 'tag', ids: new Set(['b']), tag: 'x' })).toBe(img)
  })
})
