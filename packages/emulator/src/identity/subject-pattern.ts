// Federated credential subjects: an exact string, or a pattern where `*` stands for any run of
// characters (including none, and including ':' and '/'). Matching is case-sensitive, as Entra's is.

export function subjectMatches(pattern: string, subject: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === subject;
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  if (subject.length < first.length + last.length) return false;
  if (!subject.startsWith(first) || !subject.endsWith(last)) return false;
  // Greedy-free scan: each middle piece must appear, in order, between the fixed ends.
  let position = first.length;
  const end = subject.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = subject.indexOf(piece, position);
    if (found < 0 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
}
