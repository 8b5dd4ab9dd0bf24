#!/usr/bin/env bash
# Medians of bench/run.sh's results.tsv, one line per scenario and client,
# then the ratios, the scaling table and the targets of issue 14. Columns:
# bench/README.md.
#   bench/summary.sh [bench-run/results.tsv [bench-run/idle.tsv]]
set -euo pipefail
results=${1:-bench-run/results.tsv}
idle=${2:-$(dirname "$results")/idle.tsv}
[ -f "$idle" ] || idle=/dev/null
awk -F'\t' '
function median(key, col,    n, i, j, v, a) {
  n = split(vals[key, col], a, " ")
  for (i = 2; i <= n; i++) { v = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function target(what, value, limit, shown) {
  printf "%-52s %-14s %-10s %s\n", what, shown, "<= " limit, (value == "" ? "not run" : (value + 0 <= limit + 0 ? "met" : "NOT MET"))
}
FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
FILENAME == idlefile { idle_rss[$col[FILENAME, "scenario"]] = $col[FILENAME, "idle_rss_mb"]; idle_n[$col[FILENAME, "scenario"]] = $col[FILENAME, "services"]; idle_order[++idles] = $col[FILENAME, "scenario"]; next }
{
  key = $col[FILENAME, "scenario"] SUBSEP $col[FILENAME, "client"]
  if (!(key in runs)) { order[++keys] = key }
  runs[key]++
  services[key] = $col[FILENAME, "services"]
  for (c = 1; c <= NF; c++) vals[key, c] = vals[key, c] (runs[key] > 1 ? " " : "") $c
  if ($col[FILENAME, "exit"] != 0) bad[key] = bad[key] " rep" $col[FILENAME, "rep"] ":exit" $col[FILENAME, "exit"]
  file = FILENAME
}
END {
  c_req = col[file, "requests"]; c_wall = col[file, "wall_s"]; c_bnd = col[file, "bound_s"]; c_ovl = col[file, "overlap_s"]
  c_push = col[file, "push_s"]; c_cpu = col[file, "cpu_s"]; c_rss = col[file, "rss_mb"]; c_load = col[file, "load1"]
  printf "%-22s %-13s %8s %4s %8s %7s %7s %6s %7s %6s %7s %6s %7s %5s %s\n", "scenario", "client", "services", "runs", "requests", "wall_s", "bound_s", "w/bnd", "ovl_s", "w/ovl", "push_s", "cpu_s", "rss_mb", "load", "notes"
  for (k = 1; k <= keys; k++) {
    key = order[k]; split(key, parts, SUBSEP)
    w = median(key, c_wall); b = median(key, c_bnd); o = median(key, c_ovl)
    wall[key] = w; bnd[key] = b; ovl[key] = o; push[key] = median(key, c_push)
    cpu[key] = median(key, c_cpu); rss[key] = median(key, c_rss)
    printf "%-22s %-13s %8s %4d %8d %7.2f %7.2f %6s %7.2f %6s %7.2f %6.2f %7.1f %5.1f %s\n", parts[1], parts[2], services[key], runs[key],
      median(key, c_req), w, b, (b > 0 ? sprintf("%.2f", w / b) : "-"), o, (o > 0 ? sprintf("%.2f", w / o) : "-"), push[key],
      cpu[key], rss[key], median(key, c_load), bad[key]
  }
  print ""
  for (k = 1; k <= keys; k++) {
    key = order[k]; split(key, parts, SUBSEP)
    if (parts[2] != "portal-syncd") continue
    curl = parts[1] SUBSEP "curl-parallel"; naive = parts[1] SUBSEP "naive"
    if ((curl in push) && push[curl] > 0) {
      ratio[parts[1]] = push[key] / push[curl]
      printf "%-15s push phase portal-syncd / curl --parallel = %.2f / %.2f s = %.2f\n", parts[1], push[key], push[curl], ratio[parts[1]]
    }
    if ((naive in wall) && wall[key] > 0)
      printf "%-15s naive sequential / portal-syncd wall = %.2f / %.2f s = %.1fx\n", parts[1], wall[naive], wall[key], wall[naive] / wall[key]
  }

  # The scaling table: per 1,000 services, CPU in ms and peak RSS in MB.
  scaled = 0
  for (k = 1; k <= keys; k++) {
    key = order[k]; split(key, parts, SUBSEP)
    if (parts[1] !~ /^scale-/ || parts[2] != "portal-syncd") continue
    if (!scaled++) {
      print ""
      printf "%-24s %9s %7s %7s %7s %6s %7s %12s %12s\n", "scaling", "services", "wall_s", "bound_s", "ovl_s", "cpu_s", "rss_mb", "cpu_ms/1000", "rss_mb/1000"
    }
    n = services[key]
    per_cpu[parts[1]] = cpu[key] * 1000 * 1000 / n
    printf "%-24s %9d %7.2f %7.2f %7.2f %6.2f %7.1f %12.2f %12.3f\n", parts[1], n, wall[key], bnd[key], ovl[key], cpu[key], rss[key], per_cpu[parts[1]], rss[key] * 1000 / n
  }
  for (i = 1; i <= idles; i++) {
    if (i == 1) { print ""; printf "%-24s %9s %12s\n", "idle daemon", "services", "rss_mb" }
    printf "%-24s %9d %12.1f\n", "idle-" idle_order[i], idle_n[idle_order[i]], idle_rss[idle_order[i]]
  }

  # The targets of issue 14.
  print ""
  printf "%-52s %-14s %-10s %s\n", "target (issue 14)", "measured", "target", ""
  split("seed 5k", names, " ")
  for (i = 1; i <= 2; i++) {
    key = names[i] SUBSEP "portal-syncd"
    if (key in wall) {
      target(names[i] " wall / serial bound", wall[key] / bnd[key], 1.10, sprintf("%.2f", wall[key] / bnd[key]))
      target(names[i] " wall / overlapped bound", wall[key] / ovl[key], 1.15, sprintf("%.2f", wall[key] / ovl[key]))
    } else { target(names[i] " wall / bounds", "", 1.10, "-") }
    target(names[i] " push phase / curl --parallel", (names[i] in ratio) ? ratio[names[i]] : "", 1.05, (names[i] in ratio) ? sprintf("%.2f", ratio[names[i]]) : "-")
  }
  key = "100k-1pct" SUBSEP "portal-syncd"
  target("100k-1pct CPU s", (key in cpu) ? cpu[key] : "", 1.5, (key in cpu) ? sprintf("%.2f", cpu[key]) : "-")
  target("100k-1pct peak RSS MB", (key in rss) ? rss[key] : "", 120, (key in rss) ? sprintf("%.1f", rss[key]) : "-")
  target("100k-1pct wall / overlapped bound", (key in wall) ? wall[key] / ovl[key] : "", 1.3, (key in wall) ? sprintf("%.2f", wall[key] / ovl[key]) : "-")
  key = "100k-unchanged" SUBSEP "portal-syncd"
  target("100k-unchanged CPU s", (key in cpu) ? cpu[key] : "", 0.6, (key in cpu) ? sprintf("%.2f", cpu[key]) : "-")
  target("100k-unchanged peak RSS MB", (key in rss) ? rss[key] : "", 80, (key in rss) ? sprintf("%.1f", rss[key]) : "-")
  target("idle daemon after the first cycle, seed, RSS MB", ("seed" in idle_rss) ? idle_rss["seed"] : "", 20, ("seed" in idle_rss) ? idle_rss["seed"] : "-")
  split("unchanged 1pct", kinds, " ")
  for (i = 1; i <= 2; i++) {
    lo = ""; hi = ""
    for (s in per_cpu) {
      if (s !~ ("-" kinds[i] "$")) continue
      split(s, p, "-"); if (p[2] + 0 < 10000) continue
      if (lo == "" || per_cpu[s] < lo) lo = per_cpu[s]
      if (hi == "" || per_cpu[s] > hi) hi = per_cpu[s]
    }
    target("CPU per 1,000 services 10k..1M, " kinds[i] ", max/min", lo > 0 ? hi / lo : "", 1.5, lo > 0 ? sprintf("%.2f", hi / lo) : "-")
  }
}' idlefile="$idle" "$idle" "$results"
