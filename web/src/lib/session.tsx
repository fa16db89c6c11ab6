import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { getInfo, getMe, logout as apiLogout } from '../api/endpoints'
import { ApiError } from '../api/errors'
import type { ServerInfo, User } from '../api/types'
import { clearGalleries } from './galleryCache'

export interface Session {
  info: ServerInfo | null
  /** undefined while loading, null when signed out */
  user: User | null | undefined
  refresh: () => Promise<void>
  setUser: (u: User | null) => void
  signOut: () => Promise<void>
  canRegister: boolean
}

const Ctx = createContext<Session | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [info, setInfo] = useState<ServerInfo | null>(null)
  const [user, setUser] = useState<User | null | undefined>(undefined)

  const loadMe = useCallback(async () => {
    try {
      setUser(await getMe())
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) setUser(null)
      else setUser(null)
    }
  }, [])

  const loadInfo = useCallback(async () => {
    try {
      setInfo(await getInfo())
    } catch {
      // The gallery still works without it; banners just stay hidden.
    }
  }, [])

  useEffect(() => {
    void loadInfo()
    void loadMe()
  }, [loadInfo, loadMe])

  const signOut = useCallback(async () => {
    try {
      await apiLogout()
    } finally {
      clearGalleries()
      setUser(null)
      void loadInfo()
    }
  }, [loadInfo])

  const refresh = useCallback(async () => {
    await Promise.all([loadInfo(), loadMe()])
  }, [loadInfo, loadMe])

  const value = useMemo<Session>(
    () => ({
      info,
      user,
      refresh,
      setUser,
      signOut,
      canRegister: !!info && (info.open_registration || info.needs_setup),
    }),
    [info, user, refresh, signOut],
  )
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

export function useSession(): Session {
  const s = useContext(Ctx)
  if (!s) throw new Error('useSession outside SessionProvider')
  return s
}

export function canEdit(user: User | null | undefined, owner: { id: string } | null | undefined): boolean {
  if (!user) return false
  if (user.is_admin) return true
  return !!owner && owner.id === user.id
}

/**
 * How many days the trash keeps a photo (`trash_days` of /info): 0 when the server has no trash
 * (deleting is for good at once), null while /info is not known.
 */
export function trashDays(info: ServerInfo | null | undefined): number | null {
  const d = info?.trash_days
  return typeof d === 'number' && d >= 0 ? d : null
}
