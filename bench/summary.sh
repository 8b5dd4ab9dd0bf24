#!/usr/bin/env bash
# Medians of bench/run.sh's results.tsv, one line per scenario and client,
# then the ratios the issue asks for. Columns: bench/README.md.
#   bench/summary.sh [bench-run/results.tsv]
set -euo pipefail
results=${1:-bench-run/results.tsv}
awk -F'\t' '
function median(key, col,    n, i, j, v, a) {
  n = split(vals[key, col], a, " ")
  for (i = 2; i <= n; i++) { v = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
  key = $col["scenario"] SUBSEP $col["client"]
  if (!(key in runs)) { order[++keys] = key }
  runs[key]++
  services[key] = $col["services"]
  for (c in col) if (c != "scenario" && c != "client") vals[key, c] = vals[key, c] (runs[key] > 1 ? " " : "") $col[c]
  if ($col["exit"] != 0) bad[key] = bad[key] " rep" $col["rep"] ":exit" $col["exit"]
}
END {
  printf "%-15s %-13s %8s %4s %8s %7s %7s %6s %7s %6s %7s %5s %s\n", "scenario", "client", "services", "runs", "requests", "wall_s", "bound_s", "w/bnd", "push_s", "cpu_s", "rss_mb", "load", "notes"
  for (k = 1; k <= keys; k++) {
    key = order[k]; split(key, parts, SUBSEP)
    w = median(key, "wall_s"); b = median(key, "bound_s")
    wall[key] = w; push[key] = median(key, "push_s")
    printf "%-15s %-13s %8s %4d %8d %7.2f %7.2f %6s %7.2f %6.2f %7.1f %5.1f %s\n", parts[1], parts[2], services[key], runs[key],
      median(key, "requests"), w, b, (b > 0 ? sprintf("%.2f", w / b) : "-"), push[key],
      median(key, "cpu_s"), median(key, "rss_mb"), median(key, "load1"), bad[key]
  }
  print ""
  for (k = 1; k <= keys; k++) {
    key = order[k]; split(key, parts, SUBSEP)
    if (parts[2] != "portal-syncd") continue
    curl = parts[1] SUBSEP "curl-parallel"; naive = parts[1] SUBSEP "naive"
    if ((curl in push) && push[curl] > 0)
      printf "%-15s push phase portal-syncd / curl --parallel = %.2f / %.2f s = %.2f\n", parts[1], push[key], push[curl], push[key] / push[curl]
    if ((naive in wall) && wall[key] > 0)
      printf "%-15s naive sequential / portal-syncd wall = %.2f / %.2f s = %.1fx\n", parts[1], wall[naive], wall[key], wall[naive] / wall[key]
  }
}' "$results"
