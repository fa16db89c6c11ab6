import { describe, expect, it } from 'vitest'
import { BoundedQueue } from './queue'

function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('BoundedQueue', () => {
  it('never runs more than the limit at once, and starts the next as one finishes', async () => {
    const q = new BoundedQueue(3)
    const gates = Array.from({ length: 7 }, () => deferred())
    const started: number[] = []
    let running = 0
    let maxRunning = 0
    const results = gates.map((g, i) =>
      q.push(async () => {
        started.push(i)
        running++
        maxRunning = Math.max(maxRunning, running)
        await g.promise
        running--
        return i * 10
      }),
    )
    await tick()
    expect(started).toEqual([0, 1, 2])
    expect(q.running).toBe(3)
    expect(q.pending).toBe(4)

    gates[1].resolve()
    await tick()
    expect(started).toEqual([0, 1, 2, 3])

    for (const g of gates) g.resolve()
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40, 50, 60])
    expect(maxRunning).toBe(3)
    expect(q.running).toBe(0)
  })

  it('keeps going after a task fails, and rejects only that task', async () => {
    const q = new BoundedQueue(1)
    const a = q.push(async () => {
      throw new Error('boom')
    })
    const b = q.push(async () => 'ok')
    await expect(a).rejects.toThrow('boom')
    await expect(b).resolves.toBe('ok')
  })

  it('handles a task that throws synchronously', async () => {
    const q = new BoundedQueue(2)
    const bad = q.push((() => {
      throw new Error('sync')
    }) as () => Promise<never>)
    await expect(bad).rejects.toThrow('sync')
    await expect(q.push(async () => 1)).resolves.toBe(1)
  })

  it('accepts tasks added while others run (more files dropped mid-upload)', async () => {
    const q = new BoundedQueue(2)
    const g = deferred()
    const order: string[] = []
    const first = q.push(async () => {
      order.push('a')
      await g.promise
    })
    const second = q.push(async () => {
      order.push('b')
      await g.promise
    })
    await tick()
    const third = q.push(async () => {
      order.push('c')
    })
    await tick()
    expect(order).toEqual(['a', 'b'])
    g.resolve()
    await Promise.all([first, second, third])
    expect(order).toEqual(['a', 'b', 'c'])
  })

  it('rejects a nonsensical limit', () => {
    expect(() => new BoundedQueue(0)).toThrow()
  })
})
