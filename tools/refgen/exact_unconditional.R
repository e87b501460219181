#!/usr/bin/env Rscript
# Reference fixtures for the exact unconditional (score-based, "central" = two one-sided tests)
# confidence interval for a difference of two independent binomial proportions, p1 - p2,
# from R package exact2x2 (uncondExact2x2, parmtype = "difference", method = "score",
# tsmethod = "central"), the Chan & Zhang (1999) interval that SAS PROC FREQ
# EXACT RISKDIFF (METHOD=SCORE, the default) computes.
#
# See tools/refgen/EXACT_UNCONDITIONAL.md for how to install exact2x2 (not in Debian; CRAN is not
# reachable: R CMD INSTALL of the cran/ssanv, cran/exactci and cran/exact2x2 GitHub mirrors).
#
# Usage:
#   R_LIBS_USER=/tmp/Rlib Rscript tools/refgen/exact_unconditional.R [options]
# Options:
#   --out PATH      output JSON (default crates/stats/tests/fixtures/exact_unconditional.json)
#   --cores N       worker processes (default 2)
#   --limit N       only the first N cases (smoke test)
#   --verify N      no fixture: check on N cases that (a) the vectorised supremum with plain grid
#                   reproduces stock uncondExact2x2 exactly, (b) the refined supremum is converged
#                   and its "skip" shortcut changes nothing, (c) swapping the arms negates the CI.
#   --hullcheck N   no fixture: on N tables, compare the limits with a finer scan grid (nCIgrid = 4001)
#
# What is computed for each case (x1/n1 vs x2/n2, conf.level):
#   ci_low, ci_high, p_value      : exact2x2's algorithm with the nuisance-parameter supremum computed
#                                   precisely (grid of nPgrid points + local zoom refinement, see
#                                   fastPDQD below); CI search exactly as exact2x2 (nCIgrid = 500,
#                                   power2 = 20).
#   default_ci_low/high/p_value   : stock exact2x2 defaults, ucControl() (nuisance supremum = maximum
#                                   over 100 equally spaced points, no refinement).
# exact2x2's difference is p2 - p1 of its first/second arguments, so the arms are swapped in the call
# to obtain group 1 minus group 2.

args <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default) {
  i <- match(name, args)
  if (is.na(i)) default else args[i + 1]
}
out_path <- opt("--out", "crates/stats/tests/fixtures/exact_unconditional.json")
cores <- as.integer(opt("--cores", "2"))
limit <- as.integer(opt("--limit", NA))
verify_n <- as.integer(opt("--verify", NA))
hull_n <- as.integer(opt("--hullcheck", NA))

suppressPackageStartupMessages(library(exact2x2))
suppressPackageStartupMessages(library(parallel))
ns <- asNamespace("exact2x2")
if (as.character(packageVersion("exact2x2")) != "1.7.0")
  warning("fixtures were generated with exact2x2 1.7.0, this is ", as.character(packageVersion("exact2x2")))

############################################################################################
# Faster getPDQD (exact2x2 internal: sup over the nuisance parameter of the one-sided tail
# probabilities at one value DELTA of p2 - p1).
#
# The stock function loops over nPgrid values of p1 in R. This replacement
#  * uses exact2x2's own calcTall / Tstat (same statistic, same rounding, same exact `==` ties),
#    exact2x2's own getPI (same grid of p1 values) and the same binomial probabilities
#    (exp(lchoose + x log p + (n - x) log(1 - p)), point masses at p = 0 or 1, f / sum(f));
#  * evaluates all grid points at once (matrix products);
#  * in mode "grid" returns the maximum over the grid, i.e. what stock exact2x2 returns
#    (checked by --verify: differences <= a few 1e-16);
#  * in mode "refine" additionally zooms into the best SUP$ncand local maxima of the grid
#    (SUP$levels rounds; each round evaluates SUP$npts equally spaced points on the bracket
#    formed by the neighbours of the current best point, then shrinks the bracket to the
#    neighbours of the new best), so the supremum is found to ~1e-12 instead of ~1e-4.
#    To save time the refinement is skipped for a tail whose grid maximum is > alpha or
#    < alpha * SUP$skipfac (the comparison "sup > alpha" that drives the CI search is then
#    already decided); it is always done at DELTA = 0 (the p-value). --verify checks that the
#    shortcut changes no result.
############################################################################################
stockPDQD <- get("getPDQD", ns)
SUP <- new.env()
SUP$mode <- "grid"; SUP$skip <- TRUE; SUP$alpha <- NULL; SUP$skipfac <- 1 / 3
SUP$ncand <- 3; SUP$npts <- 17; SUP$levels <- 8

fastPDQD <- function(DELTA, ...) {
  r <- fastPDQD0(DELTA, ...)
  if (isTRUE(SUP$logging)) SUP$log[[length(SUP$log) + 1]] <- c(DELTA, r$Pd, r$Qd)
  r
}
fastPDQD0 <- function(DELTA, Tstat, x1, n1, x2, n2, allx, ally, K1, K2, XX1, XX2,
                     parmtype, alternative, tsmethod, midp = FALSE, plotprobs = FALSE,
                     EplusM = FALSE, tiebreak = FALSE, errbound = 0, p1p2minmax = NULL, nPgrid = 100) {
  stopifnot(parmtype == "difference", !midp, !EplusM, !tiebreak, errbound == 0, !plotprobs)
  Tall <- ns$calcTall(Tstat, allx, n1, ally, n2, delta0 = DELTA, parmtype = parmtype,
                      alternative = alternative, tsmethod = tsmethod, EplusM = EplusM, tiebreak = tiebreak)
  if (any(is.na(Tall))) stop("NAs in Tstat function")
  T0 <- Tall[allx == x1 & ally == x2]
  # allx varies fastest: rows = first-arm count, columns = second-arm count
  Mle <- matrix(as.numeric(Tall <= T0), n1 + 1, n2 + 1)
  Mge <- matrix(as.numeric(Tall >= T0), n1 + 1, n2 + 1)
  pmfmat <- function(p, K, XX, n) {
    lp <- outer(log(p), XX) + outer(log(1 - p), n - XX)
    out <- exp(lp + rep(K, each = length(p)))
    i0 <- which(p == 0); i1 <- which(p == 1)
    if (length(i0)) out[i0, ] <- rep(as.numeric(XX == 0), each = length(i0))
    if (length(i1)) out[i1, ] <- rep(as.numeric(XX == n), each = length(i1))
    out
  }
  evalPQ <- function(pi1) {
    pi2 <- pi1 + DELTA
    fx <- pmfmat(pi1, K1, XX1, n1); fy <- pmfmat(pi2, K2, XX2, n2)
    tot <- rowSums(fx) * rowSums(fy)
    P <- rowSums((fx %*% Mle) * fy) / tot
    Q <- rowSums((fx %*% Mge) * fy) / tot
    P[is.na(P)] <- 1; Q[is.na(Q)] <- 1
    list(P = P, Q = Q)
  }
  PI <- ns$getPI(parmtype, DELTA, p1p2minmax, nPgrid)
  PI1 <- PI$PI1
  if (all(is.na(PI1))) return(list(Pd = 0, Qd = 0))
  g <- evalPQ(PI1)
  if (SUP$mode == "grid" || length(PI1) < 3) return(list(Pd = max(g$P), Qd = max(g$Q)))

  needP <- needQ <- TRUE
  if (!is.null(SUP$alpha) && DELTA != 0) {
    needP <- max(g$P) <= SUP$alpha && max(g$P) >= SUP$alpha * SUP$skipfac
    needQ <- max(g$Q) <= SUP$alpha && max(g$Q) >= SUP$alpha * SUP$skipfac
  }
  if (!needP && !needQ) return(list(Pd = max(g$P), Qd = max(g$Q)))
  lo <- PI1[1]; hi <- PI1[length(PI1)]
  k <- length(PI1)
  cands <- function(v) {
    isloc <- c(v[1] >= v[2], v[2:(k - 1)] >= v[1:(k - 2)] & v[2:(k - 1)] >= v[3:k], v[k] >= v[k - 1])
    cc <- which(isloc)
    cc[order(-v[cc])][seq_len(min(SUP$ncand, length(cc)))]
  }
  cP <- if (needP) cands(g$P) else integer(0)
  cQ <- if (needQ) cands(g$Q) else integer(0)
  a <- PI1[pmax(1, c(cP, cQ) - 1)]; b <- PI1[pmin(k, c(cP, cQ) + 1)]
  isP <- c(rep(TRUE, length(cP)), rep(FALSE, length(cQ)))
  bestP <- max(g$P); bestQ <- max(g$Q)
  m <- SUP$npts; nb <- length(a)
  for (lev in seq_len(SUP$levels)) {
    pts <- as.vector(mapply(function(aa, bb) seq(aa, bb, length.out = m), a, b))
    pts <- pmin(pmax(pts, lo), hi)
    e <- evalPQ(pts)
    vv <- matrix(ifelse(rep(isP, each = m), e$P, e$Q), m, nb)
    pm <- matrix(pts, m, nb)
    j <- apply(vv, 2, which.max)
    top <- vv[cbind(j, seq_len(nb))]
    if (any(isP)) bestP <- max(bestP, top[isP])
    if (any(!isP)) bestQ <- max(bestQ, top[!isP])
    a <- pm[cbind(pmax(1, j - 1), seq_len(nb))]; b <- pm[cbind(pmin(m, j + 1), seq_len(nb))]
  }
  list(Pd = bestP, Qd = bestQ)
}
setPDQD <- function(f) {
  unlockBinding("getPDQD", ns); assign("getPDQD", f, envir = ns); lockBinding("getPDQD", ns)
}

CTRL_REF <- ucControl(nCIgrid = 500, nPgrid = 200, power2 = 20)   # with SUP$mode = "refine"
CTRL_DEF <- ucControl()                                             # stock defaults, SUP$mode = "grid"

# CI and p-value for p1 - p2 (group 1 minus group 2)
ucCI <- function(x1, n1, x2, n2, level, ctrl, mode, stock = FALSE, swap = TRUE) {
  setPDQD(if (stock) stockPDQD else fastPDQD)
  SUP$mode <- mode
  SUP$alpha <- if (SUP$skip) (1 - level) / 2 else NULL
  o <- if (swap) {
    uncondExact2x2(x2, n2, x1, n1, parmtype = "difference", method = "score", tsmethod = "central",
                   alternative = "two.sided", conf.int = TRUE, conf.level = level, control = ctrl)
  } else {
    uncondExact2x2(x1, n1, x2, n2, parmtype = "difference", method = "score", tsmethod = "central",
                   alternative = "two.sided", conf.int = TRUE, conf.level = level, control = ctrl)
  }
  c(lo = unname(o$conf.int[1]), hi = unname(o$conf.int[2]), p = unname(o$p.value))
}
# Same, also returning the smallest relative distance |sup - alpha/2| / (alpha/2) over the points of
# exact2x2's scan grid seq(-1, 1, length.out = 500) that decided the bracket of each limit (lower
# limit: sup P[T >= t] at the scan points up to the first one above alpha/2; upper limit: sup P[T <= t]
# at the points from +1 down). A small margin means that a tiny error in the supremum at one scan
# point could move a limit by up to a scan step (0.004) or more.
ucCImargin <- function(x1, n1, x2, n2, level, ctrl, mode) {
  SUP$logging <- TRUE; SUP$log <- list()
  on.exit(SUP$logging <- FALSE)
  r <- ucCI(x1, n1, x2, n2, level, ctrl, mode)
  lg <- do.call(rbind, SUP$log)
  ds <- seq(-1, 1, length.out = ctrl$nCIgrid)
  st <- ds[2] - ds[1]
  a <- (1 - level) / 2
  onscan <- lg[, 1] %in% ds
  lowset <- onscan & lg[, 1] <= r[["lo"]] + st * 1.0001
  highset <- onscan & lg[, 1] >= r[["hi"]] - st * 1.0001
  m <- min(abs(lg[lowset, 3] - a), abs(lg[highset, 2] - a), Inf) / a
  c(r, margin = m)
}

############################################################################################
# Cases
############################################################################################
cases <- list()
add <- function(x1, n1, x2, n2, tag, published = NULL) {
  key <- paste(x1, n1, x2, n2)
  if (!is.null(cases[[key]])) return(invisible())
  cases[[key]] <<- list(x1 = x1, n1 = n1, x2 = x2, n2 = n2, tag = tag, published = published)
}
# Published / externally validated tables. The SAS 9.4 and StatXact 11 values are those quoted in
# exact2x2's inst/slowTests (test_SAS.R, test_StatXact.R), rounded to 4 decimals there.
add(37, 47, 21, 48, "published")
add(22, 24, 10, 18, "published")
add(8, 19, 11, 19, "published")
add(24, 61, 10, 35, "external", list(source = "CI: SAS 9.4 PROC FREQ EXACT RISKDIFF(METHOD=SCORE) (exact2x2 inst/slowTests/test_SAS.R); p-value: StatXact 11, gamma = 0 (exact2x2 inst/slowTests/test_StatXact.R)", ci_low = -0.0992, ci_high = 0.2949, p_value = 0.4284))
add(9, 11, 4, 12, "external", list(source = "SAS 9.4 PROC FREQ EXACT RISKDIFF(METHOD=SCORE), via exact2x2 inst/slowTests/test_SAS.R", ci_low = 0.0616, ci_high = 0.7968))
add(6, 13, 2, 7, "external", list(source = "StatXact 11 (invert two one-sided tests, gamma = 0), via exact2x2 inst/slowTests/test_StatXact.R", ci_low = -0.3108, ci_high = 0.5787, p_value = 0.5569))
add(13, 13, 0, 7, "external", list(source = "SAS 9.4 / StatXact 11, via exact2x2 inst/slowTests/test_StatXact.R", ci_low = 0.5904, ci_high = 1))
# every table with n1, n2 in 1..3
for (n1 in 1:3) for (n2 in 1:3) for (x1 in 0:n1) for (x2 in 0:n2) add(x1, n1, x2, n2, "all_small")
# degenerate margins
ns_edge <- c(1, 2, 5, 10, 20, 40, 60)
for (n1 in ns_edge) for (n2 in ns_edge) {
  add(0, n1, 0, n2, "zero_zero"); add(n1, n1, n2, n2, "full_full")
  add(0, n1, n2, n2, "zero_full"); add(n1, n1, 0, n2, "full_zero")
}
# equal observed proportions
for (t in list(c(1, 2, 2, 4), c(3, 6, 5, 10), c(10, 20, 15, 30), c(5, 10, 30, 60), c(2, 5, 24, 60),
               c(1, 3, 20, 60), c(7, 7, 1, 1), c(0, 1, 0, 60), c(30, 60, 30, 60), c(12, 48, 3, 12)))
  add(t[1], t[2], t[3], t[4], "equal_props")
# very unbalanced arms
set.seed(20240915)
unb <- list(c(1, 60), c(60, 1), c(2, 60), c(60, 2), c(1, 40), c(40, 1), c(3, 57), c(57, 3),
            c(5, 60), c(60, 5), c(1, 25), c(25, 1))
for (pr in unb) {
  n1 <- pr[1]; n2 <- pr[2]
  small_is_1 <- n1 < n2
  ns_ <- min(n1, n2); nl <- max(n1, n2)
  xl <- unique(c(0, 1, round(nl / 2), nl - 1, nl, sample(0:nl, 2)))
  for (xs in 0:ns_) for (x in xl) {
    if (small_is_1) add(xs, n1, x, n2, "unbalanced") else add(x, n1, xs, n2, "unbalanced")
  }
}
# random tables, emphasis on small n
set.seed(20240916)
draw_n <- function() {
  u <- runif(1)
  if (u < 0.5) sample(1:15, 1) else if (u < 0.8) sample(16:35, 1) else sample(36:60, 1)
}
while (length(cases) < 1020) {
  n1 <- draw_n(); n2 <- draw_n()
  add(sample(0:n1, 1), n1, sample(0:n2, 1), n2, "random")
}
cases <- unname(cases)
# which cases are also run at conf.level 0.90
tags <- vapply(cases, `[[`, "", "tag")
pick90 <- function(tag, k) which(tags == tag)[seq_len(min(k, sum(tags == tag)))]
idx90 <- sort(unique(c(pick90("published", 10), pick90("external", 10), pick90("all_small", 36),
                       pick90("zero_zero", 15), pick90("full_full", 10), pick90("zero_full", 10),
                       pick90("full_zero", 10), pick90("equal_props", 10), pick90("unbalanced", 40),
                       pick90("random", 170))))
jobs <- c(lapply(seq_along(cases), function(i) list(i = i, level = 0.95)),
          lapply(idx90, function(i) list(i = i, level = 0.90)))
if (!is.na(limit)) jobs <- jobs[seq_len(min(limit, length(jobs)))]

############################################################################################
# --verify
############################################################################################
if (!is.na(verify_n)) {
  set.seed(7)
  sel <- c(1:7, sample(seq_along(cases), max(0, verify_n - 7)))
  res <- mclapply(sel, function(i) {
    cs <- cases[[i]]
    a <- with(cs, ucCI(x1, n1, x2, n2, 0.95, CTRL_DEF, "grid", stock = TRUE))
    b <- with(cs, ucCI(x1, n1, x2, n2, 0.95, CTRL_DEF, "grid"))
    SUP$skip <- TRUE
    r1 <- with(cs, ucCI(x1, n1, x2, n2, 0.95, CTRL_REF, "refine"))
    SUP$skip <- FALSE
    r2 <- with(cs, ucCI(x1, n1, x2, n2, 0.95, CTRL_REF, "refine"))
    SUP$skip <- TRUE
    r3 <- with(cs, ucCI(x1, n1, x2, n2, 0.95, ucControl(nCIgrid = 500, nPgrid = 400, power2 = 20), "refine"))
    sw <- with(cs, ucCI(x2, n2, x1, n1, 0.95, CTRL_REF, "refine"))
    c(stock_vs_fastgrid = max(abs(a - b)), skip_vs_noskip = max(abs(r1 - r2)),
      nP200_vs_nP400 = max(abs(r1 - r3)), swap = max(abs(r1[1:2] + sw[2:1]), abs(r1[3] - sw[3])),
      default_vs_ref_ci = max(abs(a[1:2] - r1[1:2])), default_vs_ref_p = abs(a[3] - r1[3]))
  }, mc.cores = cores)
  m <- do.call(rbind, res)
  print(apply(m, 2, max))
  cat("cases checked:", nrow(m), "\n")
  quit(save = "no")
}

############################################################################################
# --hullcheck N: how often does a finer scan grid (nCIgrid = 4001 instead of 500) change the
# limits? (It finds narrow Delta-intervals where the one-sided p-value pops back above alpha/2,
# which the 500-point scan can step over.)
############################################################################################
if (!is.na(hull_n)) {
  set.seed(11)
  sel <- sample(which(tags %in% c("random", "unbalanced", "published", "external")), hull_n)
  res <- mclapply(sel, function(i) {
    cs <- cases[[i]]
    r1 <- with(cs, ucCI(x1, n1, x2, n2, 0.95, CTRL_REF, "refine"))
    r2 <- with(cs, ucCI(x1, n1, x2, n2, 0.95, ucControl(nCIgrid = 4001, nPgrid = 200, power2 = 20), "refine"))
    c(i = i, lo500 = r1[[1]], hi500 = r1[[2]], lo4001 = r2[[1]], hi4001 = r2[[2]])
  }, mc.cores = cores, mc.preschedule = FALSE)
  m <- do.call(rbind, res)
  dl <- m[, "lo500"] - m[, "lo4001"]; dh <- m[, "hi4001"] - m[, "hi500"]
  cat("cases:", nrow(m), " lower changed (>1e-8):", sum(abs(dl) > 1e-8), " upper changed:", sum(abs(dh) > 1e-8), "\n")
  for (k in which(abs(dl) > 1e-8 | abs(dh) > 1e-8)) {
    cs <- cases[[m[k, "i"]]]
    cat(sprintf("  %d/%d vs %d/%d: nCIgrid=500 [%.8f, %.8f]  nCIgrid=4001 [%.8f, %.8f]\n", cs$x1, cs$n1, cs$x2, cs$n2,
                m[k, "lo500"], m[k, "hi500"], m[k, "lo4001"], m[k, "hi4001"]))
  }
  quit(save = "no")
}

############################################################################################
# Run
############################################################################################
t_start <- proc.time()[3]
res <- mclapply(jobs, function(jb) {
  cs <- cases[[jb$i]]
  t0 <- proc.time()[3]
  r <- with(cs, ucCImargin(x1, n1, x2, n2, jb$level, CTRL_REF, "refine"))
  d <- with(cs, ucCI(x1, n1, x2, n2, jb$level, CTRL_DEF, "grid"))
  list(r = r, d = d, secs = proc.time()[3] - t0)
}, mc.cores = cores, mc.preschedule = FALSE)
elapsed <- proc.time()[3] - t_start
bad <- vapply(res, function(z) inherits(z, "try-error") || is.null(z$r), TRUE)
if (any(bad)) stop("failed jobs: ", paste(which(bad), collapse = ", "))

############################################################################################
# JSON
############################################################################################
num <- function(v) {
  if (is.na(v)) return("null")
  # shortest of %.15g / %.16g / %.17g that reads back as the same double (full precision)
  for (dg in 15:17) {
    s <- sprintf(paste0("%.", dg, "g"), v)
    if (as.numeric(s) == v) break
  }
  s
}
str <- function(s) paste0("\"", gsub("\"", "\\\\\"", s), "\"")
lines <- character(0)
for (k in seq_along(jobs)) {
  cs <- cases[[jobs[[k]]$i]]; lv <- jobs[[k]]$level; r <- res[[k]]$r; d <- res[[k]]$d
  fields <- c(
    sprintf("\"id\": %d", k), sprintf("\"tag\": %s", str(cs$tag)),
    sprintf("\"x1\": %d", as.integer(cs$x1)), sprintf("\"n1\": %d", as.integer(cs$n1)),
    sprintf("\"x2\": %d", as.integer(cs$x2)), sprintf("\"n2\": %d", as.integer(cs$n2)),
    sprintf("\"level\": %s", num(lv)),
    sprintf("\"estimate\": %s", num(cs$x1 / cs$n1 - cs$x2 / cs$n2)),
    sprintf("\"ci_low\": %s", num(r[["lo"]])), sprintf("\"ci_high\": %s", num(r[["hi"]])),
    sprintf("\"p_value\": %s", num(r[["p"]])),
    sprintf("\"scan_margin_rel\": %s", num(signif(r[["margin"]], 3))),
    sprintf("\"default_ci_low\": %s", num(d[["lo"]])), sprintf("\"default_ci_high\": %s", num(d[["hi"]])),
    sprintf("\"default_p_value\": %s", num(d[["p"]])))
  if (!is.null(cs$published) && lv == 0.95) {
    pb <- cs$published
    pf <- c(sprintf("\"source\": %s", str(pb$source)),
            sprintf("\"ci_low\": %s", num(pb$ci_low)), sprintf("\"ci_high\": %s", num(pb$ci_high)))
    if (!is.null(pb$p_value)) pf <- c(pf, sprintf("\"p_value\": %s", num(pb$p_value)))
    fields <- c(fields, sprintf("\"published_4dp\": {%s}", paste(pf, collapse = ", ")))
  }
  lines <- c(lines, paste0("    {", paste(fields, collapse = ", "), "}"))
}
header <- c(
  "{",
  sprintf("  \"generator\": %s,", str("tools/refgen/exact_unconditional.R (see tools/refgen/EXACT_UNCONDITIONAL.md)")),
  sprintf("  \"reference\": %s,", str(sprintf(
    "R exact2x2 %s uncondExact2x2(x2, n2, x1, n1, parmtype='difference', method='score', tsmethod='central', alternative='two.sided', conf.int=TRUE, conf.level=level) (arms swapped so that the difference is p1 - p2), nuisance supremum refined (see control)",
    as.character(packageVersion("exact2x2"))))),
  sprintf("  \"r_version\": %s,", str(R.version.string)),
  sprintf("  \"packages\": %s,", str(sprintf("exact2x2 %s (cran/exact2x2 mirror 7e5a06d), exactci %s, ssanv %s",
                                            packageVersion("exact2x2"), packageVersion("exactci"), packageVersion("ssanv")))),
  "  \"conventions\": {",
  "    \"difference\": \"p1 - p2 (group 1 minus group 2); estimate = x1/n1 - x2/n2\",",
  "    \"ci\": \"two one-sided exact unconditional score tests, each at (1 - level)/2; ci_low/ci_high are the grid point on the accepted side of the crossing found by exact2x2's search (<= 3.9e-9 inside the crossing)\",",
  "    \"p_value\": \"two-sided central p-value for H0 p1 = p2: min(1, 2 min(sup P[T <= t_obs], sup P[T >= t_obs])); it does not depend on level\",",
  "    \"default_*\": \"same with stock ucControl() (nuisance sup = max over 100 grid points), i.e. what uncondExact2x2 returns out of the box\"",
  "  },",
  "  \"control\": {",
  "    \"reference\": {\"nCIgrid\": 500, \"power2\": 20, \"nPgrid\": 200, \"errbound\": 0, \"gamma\": 0, \"EplusM\": false, \"tiebreak\": false, \"midp\": false,",
  sprintf("                  \"sup_refinement\": \"grid of nPgrid points, then zoom into the best %d local maxima: %d rounds of %d points on the bracket of the neighbours of the current best\"},", SUP$ncand, SUP$levels, SUP$npts),
  "    \"default\": {\"nCIgrid\": 500, \"power2\": 20, \"nPgrid\": 100, \"errbound\": 0, \"gamma\": 0, \"EplusM\": false, \"tiebreak\": false, \"midp\": false, \"sup_refinement\": \"none\"}",
  "  },",
  "  \"precision\": {\"ci_abs\": 3e-8, \"p_value_rel\": 1e-12, \"suggested_test_tolerance\": {\"ci_abs\": 1e-7, \"p_value_rel\": 1e-9},",
  "                \"note\": \"measured against an independent implementation (EXACT_UNCONDITIONAL.md): limits lie on the accepted side within 3.9e-9 of the crossing, or within 2.6e-8 where the crossing is a jump caused by a tie in the statistic; valid for an implementation that uses the same scan grid seq(-1, 1, length.out = 500). default_* values use a 100-point nuisance grid and differ from the reference by up to 6.5e-3 (CI) and 1.3e-2 (p-value)\"},",
  sprintf("  \"runtime_seconds\": %.0f,", elapsed),
  sprintf("  \"n_cases\": %d,", length(jobs)),
  "  \"cases\": [")
dir.create(dirname(out_path), showWarnings = FALSE, recursive = TRUE)
writeLines(c(header, paste(lines, collapse = ",\n"), "  ]", "}"), out_path)
cat(sprintf("wrote %s: %d cases (%d at 0.95, %d at 0.90) in %.0f s\n", out_path, length(jobs),
            sum(vapply(jobs, function(j) j$level == 0.95, TRUE)), sum(vapply(jobs, function(j) j$level == 0.90, TRUE)), elapsed))
