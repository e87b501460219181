# Independent R references for the two-proportion fixtures (called by gen_two_proportions.py).
#
# Usage: Rscript two_proportions.R tables.csv tables_out.csv strata.csv strata_out.csv
#
#   tables.csv : id,x1,n1,x2,n2            (group 1 = row 1; "success" = column 1)
#   strata.csv : case,x1,n1,x2,n2          (one row per stratum; strata with N < 2 removed by the caller)
#
# Needs: base R (stats), epitools (Debian r-cran-epitools), epiR (Debian r-cran-epir) and PropCIs
# (not in Debian: R CMD INSTALL of the source from the cran/PropCIs GitHub mirror, version 0.3-0).
# Every number is written with 17 significant digits; NA where R gives NA/NaN or fails.

# The recorded fixture values do not depend on R: R only cross-checks them. A missing package gives NA columns
# (reported by the generator as "missing"), not a failure.
has <- function(p) suppressWarnings(suppressPackageStartupMessages(requireNamespace(p, quietly = TRUE)))
has_propcis <- has("PropCIs")
has_epitools <- has("epitools")

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 4)

f17 <- function(v) {
  if (is.null(v) || length(v) == 0) return(NA_character_)
  v <- as.numeric(v)[1]
  if (is.na(v) || is.nan(v)) return(NA_character_)
  if (is.infinite(v)) return(if (v > 0) "Inf" else "-Inf")
  sprintf("%.17g", v)
}

# Run expr with a time limit; NULL on error or timeout.
guard <- function(expr, seconds = 20) {
  setTimeLimit(elapsed = seconds, transient = TRUE)
  on.exit(setTimeLimit(elapsed = Inf))
  tryCatch(suppressWarnings(expr), error = function(e) NULL)
}

levels <- c(0.95, 0.90)
tab <- read.csv(args[1])
rows <- vector("list", nrow(tab))
for (i in seq_len(nrow(tab))) {
  x1 <- tab$x1[i]; n1 <- tab$n1[i]; x2 <- tab$x2[i]; n2 <- tab$n2[i]
  m <- matrix(c(x1, n1 - x1, x2, n2 - x2), 2, 2, byrow = TRUE)
  out <- list(id = tab$id[i])
  ft <- guard(fisher.test(m))
  out$fisher_p <- f17(ft$p.value)
  out$fisher_estimate <- f17(ft$estimate)
  c0 <- guard(chisq.test(m, correct = FALSE))
  out$chi2_stat <- f17(c0$statistic); out$chi2_p <- f17(c0$p.value)
  c1 <- guard(chisq.test(m, correct = TRUE))
  out$yates_stat <- f17(c1$statistic); out$yates_p <- f17(c1$p.value)
  for (lv in levels) {
    tag <- sprintf("%02d", round(100 * lv))
    ftl <- guard(fisher.test(m, conf.level = lv))
    out[[paste0("fisher_lo_", tag)]] <- f17(ftl$conf.int[1])
    out[[paste0("fisher_hi_", tag)]] <- f17(ftl$conf.int[2])
    mn <- if (has_propcis) guard(PropCIs::diffscoreci(x1, n1, x2, n2, lv)) else NULL
    out[[paste0("mn_lo_", tag)]] <- f17(mn$conf.int[1])
    out[[paste0("mn_hi_", tag)]] <- f17(mn$conf.int[2])
    rs <- if (has_propcis) guard(PropCIs::riskscoreci(x1, n1, x2, n2, lv)) else NULL
    out[[paste0("koopman_lo_", tag)]] <- f17(rs$conf.int[1])
    out[[paste0("koopman_hi_", tag)]] <- f17(rs$conf.int[2])
    mp <- if (has_epitools) guard(epitools::or.midp(m, conf.level = lv)) else NULL
    out[[paste0("midp_est_", tag)]] <- f17(mp$estimate)
    out[[paste0("midp_lo_", tag)]] <- f17(mp$conf.int[1])
    out[[paste0("midp_hi_", tag)]] <- f17(mp$conf.int[2])
  }
  rows[[i]] <- as.data.frame(out, stringsAsFactors = FALSE)
}
if (length(rows) > 0) {
  write.csv(do.call(rbind, rows), args[2], row.names = FALSE, na = "NA")
} else {
  writeLines("\"id\"", args[2])  # no tables (the generator's --only-cmh)
}

# ---- stratified: mantelhaen.test (stats) and epiR's Mantel-Haenszel risk difference ----
st <- read.csv(args[3])
have_epir <- has("epiR")
srows <- list()
for (cid in unique(st$case)) {
  s <- st[st$case == cid, ]
  k <- nrow(s)
  out <- list(case = cid)
  if (k >= 1) {
    arr <- array(0, dim = c(2, 2, k))
    for (j in seq_len(k)) {
      arr[, , j] <- matrix(c(s$x1[j], s$n1[j] - s$x1[j], s$x2[j], s$n2[j] - s$x2[j]), 2, 2, byrow = TRUE)
    }
    for (lv in levels) {
      tag <- sprintf("%02d", round(100 * lv))
      # mantelhaen.test needs at least 2 strata (and N >= 2 in each, which the caller ensures).
      if (k >= 2) {
        mh0 <- guard(mantelhaen.test(arr, correct = FALSE, conf.level = lv))
        mh1 <- guard(mantelhaen.test(arr, correct = TRUE, conf.level = lv))
        out[[paste0("cmh_stat_", tag)]] <- f17(mh0$statistic)
        out[[paste0("cmh_p_", tag)]] <- f17(mh0$p.value)
        out[[paste0("cmhcc_stat_", tag)]] <- f17(mh1$statistic)
        out[[paste0("cmhcc_p_", tag)]] <- f17(mh1$p.value)
        out[[paste0("mhor_est_", tag)]] <- f17(mh0$estimate)
        out[[paste0("mhor_lo_", tag)]] <- f17(mh0$conf.int[1])
        out[[paste0("mhor_hi_", tag)]] <- f17(mh0$conf.int[2])
      }
      # epiR's internal helpers take the table with the margin added internally; strata with an empty arm
      # give 0/0 there, so drop them (they carry zero Mantel-Haenszel weight).
      keep <- which(s$n1 > 0 & s$n2 > 0)
      if (have_epir && length(keep) >= 1) {
        a2 <- arr[, , keep, drop = FALSE]
        gr <- guard(epiR:::zMHRD.GR(a2, lv, 1))
        sa <- guard(epiR:::zMHRD.Sato(a2, lv, 1))
        out[[paste0("gr_est_", tag)]] <- f17(gr[1]); out[[paste0("gr_lo_", tag)]] <- f17(gr[2])
        out[[paste0("gr_hi_", tag)]] <- f17(gr[3])
        out[[paste0("sato_est_", tag)]] <- f17(sa[1]); out[[paste0("sato_lo_", tag)]] <- f17(sa[2])
        out[[paste0("sato_hi_", tag)]] <- f17(sa[3])
      }
    }
  }
  srows[[length(srows) + 1]] <- out
}
cols <- unique(unlist(lapply(srows, names)))
df <- do.call(rbind, lapply(srows, function(r) {
  v <- setNames(rep(NA_character_, length(cols)), cols)
  v[names(r)] <- unlist(lapply(r, as.character))
  as.data.frame(as.list(v), stringsAsFactors = FALSE)
}))
write.csv(df, args[4], row.names = FALSE, na = "NA")
