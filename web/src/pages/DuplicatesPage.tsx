import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { listDuplicates } from '../api/endpoints'
import type { DuplicateGroup } from '../api/types'
import { isAbort } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Image } from '../api/types'
import { bulkAll } from '../components/SelectionBar'
import { ConfirmDialog, EmptyState, ErrorBox, Spinner } from '../components/ui'
import { outcome, summarize } from '../lib/bulk'
import { formatShortDate, parseWallClock } from '../lib/dates'
import { formatBytes, formatPercent, imageAlt, imageTitle } from '../lib/format'
import { clearGalleries, removeFromGalleries } from '../lib/galleryCache'
import { useDocumentTitle } from '../lib/hooks'
import { trashDays, useSession } from '../lib/session'
import { dismissToast, showToast } from '../lib/toast'
import { RequireSignIn } from './AccountPage'
import { formatDay } from './TrashPage'
import '../components/library.css'

/** A group as the page holds it: a key, its images, and which one to keep. */
interface Group {
  key: string
  images: Image[]
  similarity: number
  keep: string
  error?: string | null
  busy?: boolean
}

const toGroups = (gs: DuplicateGroup[]): Group[] =>
  gs
    .filter((g) => g.images.length > 1)
    .map((g) => ({ key: g.images.map((i) => i.id).join('|'), images: g.images, similarity: g.similarity, keep: g.images[0].id }))

/** The ids a group sends to the trash: all but the one kept. */
export const othersOf = (g: Pick<Group, 'images' | 'keep'>) => g.images.filter((i) => i.id !== g.keep).map((i) => i.id)

/** When a copy was taken (its own date), else uploaded. */
function when(img: Image): string {
  if (img.taken_at) {
    const w = parseWallClock(img.taken_at)
    if (w) return `Taken ${formatShortDate(w)}`
  }
  return `Uploaded ${formatDay(img.created_at)}`
}

export function DuplicatesPage() {
  useDocumentTitle('Duplicates')
  const { user, info } = useSession()
  // A server without a trash deletes for good at once: then every "trash" asks first.
  const noTrash = trashDays(info) === 0
  const [confirmGroup, setConfirmGroup] = useState<Group | null>(null)
  const [groups, setGroups] = useState<Group[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const [confirmAll, setConfirmAll] = useState(false)
  const [allBusy, setAllBusy] = useState(false)
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null)

  useEffect(() => {
    if (!user) return
    const ac = new AbortController()
    setError(null)
    listDuplicates(ac.signal)
      .then((r) => setGroups(toGroups(r.groups)))
      .catch((e) => !isAbort(e) && setError(errorMessage(e)))
    return () => ac.abort()
  }, [user, attempt])

  const patch = (key: string, p: Partial<Group>) => setGroups((gs) => gs && gs.map((g) => (g.key === key ? { ...g, ...p } : g)))

  /** Trashes the others of these groups; groups done leave the page, failures stay with the reason. */
  const trashOthers = async (targets: Group[]) => {
    const ids = targets.flatMap(othersOf)
    if (!ids.length) return
    setNotice(null)
    targets.forEach((g) => patch(g.key, { busy: true, error: null }))
    try {
      const r = await bulkAll(ids, { action: 'trash' })
      const { ok } = outcome(ids, r)
      ok.forEach((id) => removeFromGalleries(id))
      const reasons = new Map(r.results.filter((x) => !x.ok).map((x) => [x.id, x.error?.message ?? 'failed']))
      setGroups((gs) =>
        (gs ?? [])
          .map((g) => {
            if (!targets.some((t) => t.key === g.key)) return g
            const images = g.images.filter((i) => !ok.has(i.id))
            const failedHere = othersOf(g).filter((id) => !ok.has(id))
            return { ...g, images, busy: false, error: failedHere.length ? `${failedHere.length} not moved: ${reasons.get(failedHere[0]) ?? 'failed'}` : null }
          })
          .filter((g) => g.images.length > 1),
      )
      const { text } = summarize(r)
      if (ok.size && noTrash) {
        showToast({ text: `Deleted: ${text}`, tone: r.failed ? 'error' : 'ok' })
      } else if (ok.size) {
        const undone = [...ok]
        showToast({
          text: `Moved to trash: ${text}`,
          tone: r.failed ? 'error' : 'ok',
          action: {
            label: 'Undo',
            run: async () => {
              try {
                await bulkAll(undone, { action: 'restore' })
                clearGalleries()
                dismissToast()
                setAttempt((n) => n + 1)
              } catch (e) {
                showToast({ text: `Could not restore: ${errorMessage(e)}`, tone: 'error' })
              }
            },
          },
        })
      } else {
        setNotice({ text: `Nothing was moved: ${text}`, error: true })
      }
    } catch (e) {
      targets.forEach((g) => patch(g.key, { busy: false, error: errorMessage(e) }))
    }
  }

  if (user === undefined) return <div className="page"><Spinner /></div>
  if (user === null) return <RequireSignIn what="review your duplicates" />
  const extra = (groups ?? []).reduce((n, g) => n + g.images.length - 1, 0)

  return (
    <div className="page page-wide" data-testid="duplicates-page">
      <div className="page-head">
        <div>
          <h1 data-testid="duplicates-title">Duplicates</h1>
          <p className="muted">
            Near-identical copies among your photos. Keep one of each group — the largest is suggested — and move the others to the{' '}
            <Link to="/trash">trash</Link>, where you can still restore them.
          </p>
        </div>
        {groups && groups.length > 1 && (
          <div className="head-actions">
            <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmAll(true)} data-testid="trash-all-duplicates">
              {noTrash ? 'Delete' : 'Trash'} the others in all {groups.length} groups
            </button>
          </div>
        )}
      </div>
      {notice && (
        <p className={notice.error ? 'err-text' : 'ok-text'} role={notice.error ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {error && <ErrorBox message={error} onRetry={() => setAttempt((n) => n + 1)} />}
      {!error && groups === null && <Spinner label="Looking for duplicates…" />}
      {groups && groups.length === 0 && (
        <EmptyState title="No duplicates" testId="duplicates-empty">
          <p>None of your photos is a near-identical copy of another. Banana checks again as you upload.</p>
        </EmptyState>
      )}
      {groups && groups.length > 0 && (
        <>
          <p className="muted small" data-testid="duplicates-summary">
            {groups.length} {groups.length === 1 ? 'group' : 'groups'} · {extra} {extra === 1 ? 'copy' : 'copies'} to review
          </p>
          <ol className="dup-groups" data-testid="duplicate-groups">
            {groups.map((g, gi) => (
              <DuplicateGroupCard
                key={g.key}
                group={g}
                index={gi}
                onKeep={(id) => patch(g.key, { keep: id })}
                onTrash={() => (noTrash ? setConfirmGroup(g) : void trashOthers([g]))}
                noTrash={noTrash}
              />
            ))}
          </ol>
        </>
      )}
      {confirmAll && groups && (
        <ConfirmDialog
          title={noTrash ? `Delete ${extra} ${extra === 1 ? 'copy' : 'copies'} for good?` : `Move ${extra} ${extra === 1 ? 'copy' : 'copies'} to the trash?`}
          confirmLabel={noTrash ? 'Delete for good' : 'Move to trash'}
          busy={allBusy}
          onCancel={() => setConfirmAll(false)}
          onConfirm={async () => {
            setAllBusy(true)
            await trashOthers(groups)
            setAllBusy(false)
            setConfirmAll(false)
          }}
        >
          <p>
            In each of the {groups.length} groups the photo marked “Keep” stays;{' '}
            {noTrash ? 'the others are deleted for good (this server keeps no trash).' : 'the others go to the trash, where you can restore them.'}
          </p>
        </ConfirmDialog>
      )}
      {confirmGroup && (
        <ConfirmDialog
          title={`Delete ${othersOf(confirmGroup).length === 1 ? 'the other copy' : `the other ${othersOf(confirmGroup).length} copies`} for good?`}
          confirmLabel="Delete for good"
          onCancel={() => setConfirmGroup(null)}
          onConfirm={async () => {
            const g = confirmGroup
            setConfirmGroup(null)
            await trashOthers([g])
          }}
        >
          <p>This server keeps no trash: they cannot be restored.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}

function DuplicateGroupCard({
  group,
  index,
  onKeep,
  onTrash,
  noTrash,
}: {
  group: Group
  index: number
  onKeep: (id: string) => void
  onTrash: () => void
  noTrash: boolean
}) {
  const n = group.images.length
  const others = n - 1
  const name = `keep-${index}`
  return (
    <li className="card dup-group" data-testid="duplicate-group">
      <div className="dup-head">
        <h2>
          {n} copies <span className="muted small">· {formatPercent(group.similarity)} alike</span>
        </h2>
        <button type="button" className="btn btn-danger-outline btn-small" onClick={onTrash} disabled={group.busy} data-testid="trash-others">
          {group.busy ? 'Working…' : `${noTrash ? 'Delete' : 'Trash'} the ${others === 1 ? 'other' : `other ${others}`}`}
        </button>
      </div>
      <fieldset className="dup-row">
        <legend className="sr-only">Which copy to keep</legend>
        {group.images.map((img, i) => {
          const kept = img.id === group.keep
          return (
            <div key={img.id} className={'dup-item' + (kept ? ' is-kept' : ' is-going')} data-testid="duplicate-item" data-image-id={img.id} data-keep={kept}>
              <Link to={`/images/${encodeURIComponent(img.id)}`} className="dup-thumb" aria-label={`Open ${imageTitle(img)}`}>
                {img.urls?.thumbnail && <img src={img.urls.thumbnail} alt={imageAlt(img)} loading="lazy" />}
                {i === 0 && <span className="dup-suggested">Suggested</span>}
                {!kept && <span className="dup-going">{noTrash ? 'To delete' : 'To trash'}</span>}
              </Link>
              <label className="dup-keep">
                <input type="radio" name={name} checked={kept} onChange={() => onKeep(img.id)} data-testid="keep-choice" />
                <span>Keep</span>
              </label>
              <dl className="dup-facts">
                <dt className="sr-only">File</dt>
                <dd className="dup-name" title={imageTitle(img)}>
                  {imageTitle(img)}
                </dd>
                <dt className="sr-only">Dimensions and size</dt>
                <dd data-testid="duplicate-size">
                  {img.width} × {img.height} · {formatBytes(img.bytes)}
                </dd>
                <dt className="sr-only">Date</dt>
                <dd className="muted">{when(img)}</dd>
              </dl>
            </div>
          )
        })}
      </fieldset>
      {group.error && (
        <p className="err-text small" role="alert">
          {group.error}
        </p>
      )}
    </li>
  )
}
