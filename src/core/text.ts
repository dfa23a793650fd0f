export const ELLIPSIS = '…';

/**
 * At most `max` UTF-16 units, cut at a line end (when one is near), else a word end, else anywhere, never inside
 * a surrogate pair; ends in "…" (plus `suffix`, e.g. a "shortened" hint) when something was cut.
 */
export function clip(value: string, max: number, suffix = ''): string {
  if (value.length <= max) return value;
  const tail = `${ELLIPSIS}${suffix}`;
  if (max <= tail.length) return ELLIPSIS.slice(0, Math.max(0, max));
  const room = max - tail.length;
  let slice = value.slice(0, room);
  if (/[\uD800-\uDBFF]$/.test(slice)) slice = slice.slice(0, -1);
  const line = slice.lastIndexOf('\n');
  const word = Math.max(line, slice.lastIndexOf(' '));
  if (line > room * 0.6) slice = slice.slice(0, line);
  else if (word > room * 0.5) slice = slice.slice(0, word);
  return `${slice.trimEnd()}${tail}`;
}
