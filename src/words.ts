/** Numbers as people read them in logs and the summary. */

/** `1 object`, `2 objects`; `plural` for the irregular ones. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`
}

/** Bytes in binary units: `773 bytes`, `1.2 KiB`, `3.4 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? counted(bytes, 'byte') : `${Number(value.toFixed(1))} ${units[unit]}`
}
