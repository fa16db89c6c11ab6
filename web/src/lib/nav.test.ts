import { beforeEach, describe, expect, it } from 'vitest'
import { clearNavMemory, isTypingTarget, loadNavList, neighbours, removeFromNav, saveNavList } from './nav'

describe('gallery neighbours', () => {
  beforeEach(() => {
    sessionStorage.clear()
    clearNavMemory()
  })

  it('finds previous and next in the browsed order', () => {
    expect(neighbours(['a', 'b', 'c'], 'b')).toEqual({ prev: 'a', next: 'c', index: 1 })
    expect(neighbours(['a', 'b', 'c'], 'a')).toEqual({ prev: null, next: 'b', index: 0 })
    expect(neighbours(['a', 'b', 'c'], 'c')).toEqual({ prev: 'b', next: null, index: 2 })
    expect(neighbours(['a'], 'zz')).toEqual({ prev: null, next: null, index: -1 })
  })

  it('survives a reload through sessionStorage', () => {
    saveNavList({ source: '/', ids: ['x', 'y'], nextCursor: 'c', label: null })
    clearNavMemory()
    expect(loadNavList()).toEqual({ source: '/', ids: ['x', 'y'], nextCursor: 'c', label: null })
  })

  it('forgets deleted images', () => {
    saveNavList({ source: '/', ids: ['x', 'y', 'z'], nextCursor: null, label: null })
    removeFromNav('y')
    expect(neighbours(loadNavList()!.ids, 'x').next).toBe('z')
  })

  it('ignores corrupt storage', () => {
    sessionStorage.setItem('banana.nav', '{not json')
    expect(loadNavList()).toBeNull()
  })

  it('does not steal arrow keys from form fields', () => {
    expect(isTypingTarget(document.createElement('input'))).toBe(true)
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true)
    expect(isTypingTarget(document.createElement('div'))).toBe(false)
    expect(isTypingTarget(null)).toBe(false)
  })
})
