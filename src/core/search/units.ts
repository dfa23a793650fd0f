/** Lines, and the sentences of longer lines; list items stay whole. */
export function units(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (/^([-*•]|\d+[.)])\s/.test(trimmed)) {
      out.push(trimmed);
      continue;
    }
    // A sentence ends at . ! ? followed by a space; "e.g. x" and "Node.js" do not end one.
    const sentences = trimmed.split(/(?<=[^\s.]{2}[.!?])\s+(?=[\p{Lu}\p{Script=Hangul}\d"'(「])/u);
    out.push(...sentences.map((s) => s.trim()).filter(Boolean));
  }
  return out;
}
