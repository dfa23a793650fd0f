export const ELLIPSIS = '…';

/**
 * Where to cut `value` so that the first part has at most `max` UTF-16 units: at a line end when one
 * is near, else at a word end, else anywhere, never inside a surrogate pair.
 */
export function cutIndex(value: string, max: number): number {
  if (value.length <= max) return value.length;
  let slice = value.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(slice)) slice = slice.slice(0, -1);
  const line = slice.lastIndexOf('\n');
  const word = Math.max(line, slice.lastIndexOf(' '));
  return line > max * 0.6 ? line : word > max * 0.5 ? word : slice.length;
}

/**
 * At most `max` UTF-16 units, cut as `cutIndex` does; ends in "…" (plus `suffix`, e.g. a "shortened"
 * hint) when something was cut.
 */
export function clip(value: string, max: number, suffix = ''): string {
  if (value.length <= max) return value;
  const tail = `${ELLIPSIS}${suffix}`;
  if (max <= tail.length) return ELLIPSIS.slice(0, Math.max(0, max));
  return `${value.slice(0, cutIndex(value, max - tail.length)).trimEnd()}${tail}`;
}
