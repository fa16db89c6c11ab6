import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { listLabels } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { LabelCount } from '../api/types'
import { EmptyState, ErrorBox, Spinner } from '../components/ui'
import { labelDisplayName } from '../lib/format'
import { useDocumentTitle } from '../lib/hooks'

export type LabelSort = 'count' | 'name'

export function sortLabels(items: LabelCount[], sort: LabelSort, filter: string): LabelCount[] {
  const f = filter.trim().toLowerCase()
  const out = items.filter((l) => l.count > 0 && (!f || l.name.toLowerCase().includes(f) || l.wnid.toLowerCase() === f))
  out.sort((a, b) =>
    sort === 'count'
      ? b.count - a.count || labelDisplayName(a.name).localeCompare(labelDisplayName(b.name))
      : labelDisplayName(a.name).localeCompare(labelDisplayName(b.name)),
  )
  return out
}

export function LabelsPage() {
  useDocumentTitle('Labels')
  const [items, setItems] = useState<LabelCount[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [filter, setFilter] = useState('')
  const [sort, setSort] = useState<LabelSort>('count')
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const ac = new AbortController()
    setError(null)
    listLabels(ac.signal)
      .then((r) => setItems(r.items))
      .catch((e) => !isAbort(e) && setError(errorMessage(e)))
    return () => ac.abort()
  }, [attempt])

  const shown = useMemo(() => (items ? sortLabels(items, sort, filter) : []), [items, sort, filter])
  const max = shown.reduce((m, l) => Math.max(m, l.count), 1)

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Labels</h1>
          <p className="muted">What Banana recognised in your images. Pick one to see its images.</p>
        </div>
      </div>
      {error && <ErrorBox message={error} onRetry={() => setAttempt((n) => n + 1)} />}
      {!error && items === null && <Spinner label="Loading labels…" />}
      {items && items.length > 0 && (
        <div className="toolbar">
          <div className="field inline">
            <label htmlFor="label-filter">Filter labels</label>
            <input id="label-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="e.g. cat" />
          </div>
          <div className="field inline">
            <label htmlFor="label-sort">Sort by</label>
            <select id="label-sort" value={sort} onChange={(e) => setSort(e.target.value as LabelSort)}>
              <option value="count">Most images</option>
              <option value="name">Name</option>
            </select>
          </div>
        </div>
      )}
      {items && shown.length === 0 && (
        <EmptyState title={filter ? 'No label matches' : 'No labels yet'}>
          {!filter && <p>Labels appear here once uploaded images have been labeled.</p>}
        </EmptyState>
      )}
      {shown.length > 0 && (
        <ul className="label-cloud" data-testid="label-list">
          {shown.map((l) => (
            <li key={l.id}>
              <Link to={`/?label=${encodeURIComponent(l.id)}`} className="label-card" data-testid="label-link" title={l.name}>
                <span className="lc-name">{labelDisplayName(l.name)}</span>
                <span className="lc-count" aria-label={`${l.count} ${l.count === 1 ? 'image' : 'images'}`}>
                  {l.count}
                </span>
                <span className="lc-bar" aria-hidden="true">
                  <span style={{ width: `${Math.round((l.count / max) * 100)}%` }} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
