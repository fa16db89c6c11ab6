import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { listLabels } from '../api/endpoints'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { LabelCategory, LabelCount } from '../api/types'
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

/** One category of the label tree: a link to its images (it and everything below), the
 * categories below it and the labels whose nearest category it is. Open to depth 1. */
function CategoryNode({ node, depth }: { node: LabelCategory; depth: number }) {
  const inner = node.children.length > 0 || node.labels.length > 0
  const head = (
    <Link to={`/?label=${encodeURIComponent(node.id)}`} className="tree-link" data-testid="label-category" data-category={node.id}>
      <span className="tree-name">{node.name}</span>
      <span className="lc-count" aria-label={`${node.count} ${node.count === 1 ? 'image' : 'images'}`}>
        {node.count}
      </span>
    </Link>
  )
  if (!inner) return <li className="tree-node leaf">{head}</li>
  return (
    <li className="tree-node">
      <details open={depth === 0}>
        <summary aria-label={`${node.name}: show what is inside`}>{head}</summary>
        {node.children.length > 0 && (
          <ul className="tree-children">
            {node.children.map((c) => (
              <CategoryNode key={c.id} node={c} depth={depth + 1} />
            ))}
          </ul>
        )}
        {node.labels.length > 0 && (
          <ul className="tree-labels">
            {node.labels.map((l) => (
              <li key={l.id}>
                <Link to={`/?label=${encodeURIComponent(l.id)}`} className="chip" data-testid="tree-label" title={l.name}>
                  {labelDisplayName(l.name)} <span className="muted">{l.count}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </details>
    </li>
  )
}

export function LabelsPage() {
  useDocumentTitle('Labels')
  const [items, setItems] = useState<LabelCount[] | null>(null)
  const [tree, setTree] = useState<LabelCategory[]>([])
  const [error, setError] = useState<string | null>(null)
  const [filter, setFilter] = useState('')
  const [sort, setSort] = useState<LabelSort>('count')
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const ac = new AbortController()
    setError(null)
    listLabels(ac.signal)
      .then((r) => {
        setItems(r.items)
        setTree(r.categories ?? [])
      })
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
      {tree.length > 0 && (
        <section className="label-tree" aria-labelledby="label-tree-title">
          <h2 id="label-tree-title">By kind</h2>
          <p className="muted small">
            A breed or a model is named only when Banana is sure of it; otherwise the photo counts under its kind (“dog”), or
            nowhere when even that is unsure.
          </p>
          <ul className="tree-root" data-testid="label-tree">
            {tree.map((n) => (
              <CategoryNode key={n.id} node={n} depth={0} />
            ))}
          </ul>
        </section>
      )}
      {items && items.length > 0 && <h2 className="label-all-title">All labels</h2>}
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
