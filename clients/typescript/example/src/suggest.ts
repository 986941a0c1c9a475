// "Did you mean": the factor keys nearest to what someone typed (a search that found nothing).
// Edit distance (Levenshtein) against the whole key and against each of its dot-separated parts,
// so `electrcity` finds `electricity.grid.CH` and `grid.ch` finds it too.

export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Up to `count` keys within a few edits of `typed` (about one in three of its letters), nearest first. */
export function nearestKeys(typed: string, keys: Iterable<string>, count = 3): string[] {
  const term = typed.trim().toLowerCase();
  if (term.length < 3) return [];
  const limit = Math.max(2, Math.floor(term.length / 3));
  const scored: [number, string][] = [];
  for (const key of new Set(keys)) {
    const lower = key.toLowerCase();
    const parts = [lower, ...lower.split(/[._]/)];
    const best = Math.min(...parts.map((part) => distance(term, part)));
    if (best <= limit) scored.push([best, key]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, count)
    .map(([, key]) => key);
}
