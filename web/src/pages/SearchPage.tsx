import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { search } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Image, Library, SearchHit } from '../api/types'
import { JustifiedGallery } from '../components/Gallery'
import { effectiveScope, ScopeTabs, scopeParam } from '../components/ScopeTabs'
import { SelectButton, SelectionProvider } from '../components/Selection'
import { SelectionBar } from '../components/SelectionBar'
import { EmptyState, ErrorBox, Spinner } from '../components/ui'
import { labelDisplayName } from '../lib/format'
import { useDocumentTitle, useInfiniteScroll } from '../lib/hooks'
import { saveNavList } from '../lib/nav'
import { mergePage } from '../lib/pagination'
import { useSession } from '../lib/session'
import { useBulkList } from '../lib/useBulkList'

const LIMIT = 30

function searchPath(q: string, scope: Library): string {
  const p = new URLSearchParams({ q })
  if (scope !== 'mine') p.set('scope', scope)
  return `/search?${p}`
}

/** One `matched` entry in words: a label's short name, or a date / place / camera as it reads. */
export function describeMatch(m: string): string {
  const s = m.trim()
  if (s === 'title' || s === 'attribution') return s
  if (s === 'filename') return 'file name'
  if (/^taken\b/i.test(s)) return s // "taken 2008", "taken October 2008"
  const kind = /^(place|camera)\s*:\s*(.+)$/i.exec(s)
  if (kind) return kind[1].toLowerCase() === 'place' ? `in ${kind[2].trim()}` : `with a ${kind[2].trim()}`
  return labelDisplayName(s)
}

/** Turn the server's `matched` entries into short, readable chip texts (deduplicated). */
export function describeMatches(matched: string[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const m of matched) {
    const t = describeMatch(m)
    const k = t.toLowerCase()
    if (!t || seen.has(k)) continue
    seen.add(k)
    out.push(t)
  }
  return out
}

export function SearchPage() {
  const [params] = useSearchParams()
  const q = (params.get('q') ?? '').trim()
  const { user, info } = useSession()
  const scope = effectiveScope(params.get('scope'), user)
  useDocumentTitle(q ? `Search: ${q}` : 'Search')
  const [hits, setHits] = useState<SearchHit[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [searched, setSearched] = useState(false)
  // A new query clears the previous one's hits before the page paints, not in the effect
  // after it: no render shows the old hits under the new title.
  const key = `${scope} ${q}`
  const [shownKey, setShownKey] = useState(key)
  if (shownKey !== key) {
    setShownKey(key)
    setHits([])
    setCursor(null)
    setError(null)
    setSearched(false)
  }
  const busy = useRef<AbortController | null>(null)

  const run = useCallback(async () => {
    busy.current?.abort()
    setHits([])
    setCursor(null)
    setError(null)
    setSearched(false)
    if (!q) return
    const ac = new AbortController()
    busy.current = ac
    setLoading(true)
    try {
      const page = await search({ q, limit: LIMIT, scope: scopeParam(scope) }, ac.signal)
      setHits(page.items)
      setCursor(page.next_cursor ?? null)
      setSearched(true)
    } catch (e) {
      if (!isAbort(e)) setError(errorMessage(e))
    } finally {
      if (busy.current === ac) {
        busy.current = null
        setLoading(false)
      }
    }
  }, [q, scope])

  useEffect(() => {
    void run()
    return () => busy.current?.abort()
  }, [run])

  const more = useCallback(async () => {
    if (busy.current || !cursor || error) return
    const ac = new AbortController()
    busy.current = ac
    setLoading(true)
    try {
      const page = await search({ q, limit: LIMIT, cursor, scope: scopeParam(scope) }, ac.signal)
      setHits((prev) => mergePage(prev, page.items, (h) => h.image.id))
      setCursor(page.next_cursor ?? null)
    } catch (e) {
      if (!isAbort(e)) setError(errorMessage(e))
    } finally {
      if (busy.current === ac) {
        busy.current = null
        setLoading(false)
      }
    }
  }, [cursor, error, q, scope])

  const sentinel = useInfiniteScroll(more, !!cursor && !error, hits.length)

  useEffect(() => {
    if (hits.length) {
      saveNavList({ source: searchPath(q, scope), ids: hits.map((h) => h.image.id), nextCursor: null, label: null })
    }
  }, [hits, q, scope])

  const byId = new Map(hits.map((h) => [h.image.id, h]))
  const images: Image[] = useMemo(() => hits.map((h) => h.image), [hits])
  const ids = useMemo(() => images.map((i) => i.id), [images])
  const applyBulk = useBulkList(hits, setHits, 'search', (h) => h.image, (h, image) => ({ ...h, image }))
  const selectable = !!user && !info?.demo

  return (
    <SelectionProvider order={ids} enabled={selectable}>
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <p className="eyebrow">Search</p>
          <h1 data-testid="search-title">{q ? `“${q}”` : 'Search your images'}</h1>
          {q && scope !== 'mine' && (
            <p className="muted">{scope === 'public' ? 'In everyone’s public images' : 'In every account’s images'}</p>
          )}
          {searched && !error && (
            <p className="muted" role="status" data-testid="search-count">
              {hits.length === 0
                ? 'No matches'
                : `${hits.length}${cursor ? '+' : ''} ${hits.length === 1 ? 'image' : 'images'}, ${
                    // A query that is only dates, a place or a camera lists newest first (no score).
                    hits.every((h) => h.score === 0) ? 'newest first' : 'best match first'
                  }`}
            </p>
          )}
        </div>
        {selectable && hits.length > 0 && (
          <div className="head-actions">
            <SelectButton />
          </div>
        )}
      </div>
      {q && user && !info?.demo && <ScopeTabs scope={scope} user={user} hrefFor={(s) => searchPath(q, s)} />}
      {!q && (
        <EmptyState title="Describe what you are looking for" testId="search-prompt">
          <p>Type a sentence in the search box, or try one of these.</p>
          <SearchHelp scope={scope} />
        </EmptyState>
      )}
      {error && <ErrorBox message={error} onRetry={() => void run()} testId="search-error" />}
      {loading && hits.length === 0 && <Spinner label="Searching…" />}
      {searched && !error && hits.length === 0 && (
        <EmptyState title="Nothing matched" testId="search-empty">
          <p>
            Try other words, or browse <Link to="/labels">all labels</Link>.
          </p>
          <SearchHelp scope={scope} />
        </EmptyState>
      )}
      {hits.length > 0 && (
        <JustifiedGallery
          images={images}
          ownerBadgesExcept={scope !== 'mine' ? (user?.id ?? '') : null}
          testId="search-results"
          itemTestId="search-result"
          extra={{
            render: (img) => {
              const h = byId.get(img.id)
              if (!h) return null
              const m = describeMatches(h.matched)
              return m.length ? (
                <p className="matched" data-testid="matched">
                  <span className="matched-k">Matched: </span>
                  {m.slice(0, 3).join(' · ')}
                </p>
              ) : null
            },
          }}
        />
      )}
      {cursor && !error && (
        <div ref={sentinel} className="sentinel">
          <button type="button" className="btn btn-ghost" onClick={() => void more()} disabled={loading}>
            More results
          </button>
        </div>
      )}
      <SelectionBar view="search" onApplied={applyBulk} />
    </div>
    </SelectionProvider>
  )
}

/** What can be searched for, with examples that run when clicked. */
export const SEARCH_EXAMPLES: Array<{ kind: string; examples: string[] }> = [
  { kind: 'Things and scenes', examples: ['a pet cat', 'something to drink coffee from'] },
  { kind: 'Years and months', examples: ['photos from 2008', 'October 2008', 'last summer'] },
  { kind: 'Places', examples: ['in Paris'] },
  { kind: 'Cameras', examples: ['taken with a Canon'] },
]

export function SearchHelp({ scope }: { scope: Library }) {
  return (
    <div className="search-help" data-testid="search-help">
      <dl>
        {SEARCH_EXAMPLES.map((g) => (
          <div key={g.kind} style={{ display: 'contents' }}>
            <dt>{g.kind}</dt>
            <dd>
              {g.examples.map((e) => (
                <Link key={e} to={searchPath(e, scope)} className="example-link" data-testid="search-example">
                  {e}
                </Link>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <p className="hint">Mix them: “a cat in Paris in 2019”.</p>
    </div>
  )
}
