/**
 * Rounds a non-negative matrix to integers, each entry to its floor or ceiling, so that the rows
 * sum to `rowSums` and the columns to `colSums` (integers that the exact matrix sums to).
 * Such a rounding always exists (Bacharach, 1966); it is found as a max flow from the rows to
 * the columns through the entries with a fractional part. Used to split each class of a
 * stratified split: every class then lands in every split within ±1 of its exact share.
 */
export function roundMatrix(a: readonly (readonly number[])[], rowSums: readonly number[], colSums: readonly number[]): number[][] {
  const rows = a.length;
  const cols = colSums.length;
  // Snap away float noise such as 79.99999999997 so it counts as the integer it is.
  const exact = a.map((r) => r.map((v) => Math.round(v * 1e9) / 1e9));
  const out = exact.map((r) => r.map(Math.floor));
  const rowNeed = rowSums.map((s, i) => s - out[i].reduce((x, y) => x + y, 0));
  const colNeed = colSums.map((s, j) => s - out.reduce((x, r) => x + r[j], 0));
  // Edges row -> col for fractional entries, largest fraction first.
  const edges = exact.map((r) =>
    r
      .map((v, j) => ({ j, frac: v - Math.floor(v) }))
      .filter((e) => e.frac > 0)
      .sort((x, y) => y.frac - x.frac || x.j - y.j)
      .map((e) => e.j),
  );
  const used = out.map((r) => r.map(() => false));
  // Augmenting paths alternate row->col along unused edges and col->row back along used ones.
  const augment = (row: number, seenCols: boolean[]): boolean => {
    for (const j of edges[row]) {
      if (used[row][j] || seenCols[j]) continue;
      seenCols[j] = true;
      if (colNeed[j] > 0) {
        colNeed[j]--;
        used[row][j] = true;
        return true;
      }
      for (let r2 = 0; r2 < rows; r2++) {
        if (used[r2][j] && augment(r2, seenCols)) {
          used[r2][j] = false;
          used[row][j] = true;
          return true;
        }
      }
    }
    return false;
  };
  for (let i = 0; i < rows; i++) {
    while (rowNeed[i] > 0) {
      if (!augment(i, new Array<boolean>(cols).fill(false))) {
        throw new Error(`roundMatrix: no consistent rounding (row ${i}); the sums do not match the matrix`);
      }
      rowNeed[i]--;
    }
  }
  return out.map((r, i) => r.map((v, j) => v + (used[i][j] ? 1 : 0)));
}
