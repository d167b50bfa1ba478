# Agreement: the six ICCs (psych::ICC), Cohen's kappa unweighted and weighted (psych::cohen.kappa,
# and the Fleiss-Cohen-Everitt 1969 standard error written out), Fleiss' kappa, Kendall's W,
# Krippendorff's alpha, r_wg / r_wg(J) and ICC(1)/ICC(2) (multilevel).
# irr and krippendorff are not packaged in Debian: Fleiss' kappa, Kendall's W (from
# friedman.test) and Krippendorff's alpha are computed here from their published formulas.
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
suppressMessages({library(psych); library(multilevel)})
set.seed(20261202)

# --- ICC: 12 targets x 4 raters; rater 3 is harsh, rater 4 noisy -------------------------------
true <- rnorm(12, 6, 1.5)
wide <- sapply(1:4, function(j) round(true + c(0, 0.3, -1.2, 0)[j] + rnorm(12, sd = c(.6, .6, .6, 1.4)[j]), 1))
colnames(wide) <- paste0("r", 1:4)
write_data(data.frame(target = sprintf("t%02d", 1:12), wide), "icc_wide")
res <- psych::ICC(wide, lmer = FALSE)$results
for (i in seq_len(nrow(res))) {
  case <- paste0("icc_", res$type[i])
  put(case, "estimate", res$ICC[i]); put(case, "F", res$F[i]); put(case, "df1", res$df1[i])
  put(case, "df2", res$df2[i]); put(case, "p", res$p[i])
  put(case, "ci_low", res[i, "lower bound"]); put(case, "ci_high", res[i, "upper bound"])
}

# --- Cohen's kappa: two raters, 80 units, 4 ordered categories ---------------------------------
latent <- sample(1:4, 80, TRUE, prob = c(.2, .3, .3, .2))
r1 <- pmin(4, pmax(1, latent + sample(-1:1, 80, TRUE, prob = c(.15, .7, .15))))
r2 <- pmin(4, pmax(1, latent + sample(-1:1, 80, TRUE, prob = c(.2, .6, .2))))
write_data(data.frame(r1 = r1, r2 = r2), "kappa_raters")
tab <- table(factor(r1, 1:4), factor(r2, 1:4))
p <- tab / sum(tab); n <- sum(tab); k <- 4
pr <- rowSums(p); pc <- colSums(p)
fce <- function(w) {  # Fleiss, Cohen & Everitt (1969): large-sample SE of (weighted) kappa
  po <- sum(w * p); pe <- sum(w * outer(pr, pc)); kap <- (po - pe) / (1 - pe)
  wi <- as.vector(w %*% pc); wj <- as.vector(t(w) %*% pr)
  v <- (sum(p * (w - outer(wi, wj, "+") * (1 - kap))^2) - (kap - pe * (1 - kap))^2) / (n * (1 - pe)^2)
  v0 <- (sum(outer(pr, pc) * (w - outer(wi, wj, "+"))^2) - pe^2) / (n * (1 - pe)^2)
  c(kappa = kap, se = sqrt(v), se0 = sqrt(v0))
}
d <- abs(outer(1:k, 1:k, "-"))
for (scheme in c("none", "linear", "quadratic")) {
  w <- switch(scheme, none = diag(k), linear = 1 - d / (k - 1), quadratic = 1 - d^2 / (k - 1)^2)
  f <- fce(w)
  put(paste0("kappa_", scheme), "kappa", f["kappa"])
  put(paste0("kappa_", scheme), "se_fce1969", f["se"])
  put(paste0("kappa_", scheme), "se0_fce1969", f["se0"])
}
ck <- psych::cohen.kappa(cbind(r1, r2))                       # psych's default weights: quadratic
put("kappa_none", "psych_kappa", ck$kappa)
put("kappa_none", "psych_ci_low", ck$confid[1, 1]); put("kappa_none", "psych_ci_high", ck$confid[1, 3])
put("kappa_quadratic", "psych_kappa", ck$weighted.kappa)
put("kappa_quadratic", "psych_se", sqrt(ck$var.weighted))
ckl <- psych::cohen.kappa(cbind(r1, r2), w = 1 - d / (k - 1))
put("kappa_linear", "psych_kappa", ckl$weighted.kappa)
put("kappa_linear", "psych_se", sqrt(ckl$var.weighted))

# --- Fleiss' kappa: 30 subjects, 6 raters, 3 categories (Fleiss 1971) ---------------------------
probs <- t(sapply(1:30, function(i) { v <- c(4, 1, 1)[sample(3)] + runif(3); v / sum(v) }))
counts <- t(apply(probs, 1, function(pp) tabulate(sample(1:3, 6, TRUE, prob = pp), 3)))
colnames(counts) <- c("a", "b", "c")
write_data(as.data.frame(counts), "fleiss_counts")
m <- 6; pj <- colSums(counts) / (nrow(counts) * m)
Pi <- (rowSums(counts^2) - m) / (m * (m - 1))
put("fleiss", "kappa", (mean(Pi) - sum(pj^2)) / (1 - sum(pj^2)))

# --- Kendall's W: 7 raters score 8 items on 1..5 (ties), from Friedman's test -------------------
merit <- seq(1, 3.5, length.out = 8)
scores <- t(sapply(1:7, function(r) likert(merit + rnorm(8, sd = 1))))
colnames(scores) <- paste0("item", 1:8)
write_data(as.data.frame(scores), "kendall_scores")
w_from <- function(s, case) {
  ft <- friedman.test(s)
  put(case, "W", ft$statistic / (nrow(s) * (ncol(s) - 1)))
  put(case, "chi2", ft$statistic); put(case, "p", ft$p.value)
  rk <- t(apply(s, 1, rank)); m <- nrow(s); n <- ncol(s)
  S <- sum((colSums(rk) - m * (n + 1) / 2)^2)
  put(case, "W_no_tie_correction", 12 * S / (m^2 * (n^3 - n)))
}
w_from(scores, "kendall")
tied <- scores; tied[2, ] <- 3                                   # one rater ties every item
write_data(as.data.frame(tied), "kendall_tied_rater")
w_from(tied, "kendall_tied_rater")

# --- Krippendorff's alpha (Krippendorff 2011), coincidence matrix written out -------------------
kalpha <- function(data, level) {       # data: coders x units, NA = missing
  vals <- sort(unique(as.vector(data[!is.na(data)])))
  o <- matrix(0, length(vals), length(vals))
  for (u in seq_len(ncol(data))) {
    x <- data[!is.na(data[, u]), u]; mu <- length(x)
    if (mu < 2) next
    for (a in seq_along(x)) for (b in seq_along(x)) if (a != b) {
      i <- match(x[a], vals); j <- match(x[b], vals); o[i, j] <- o[i, j] + 1 / (mu - 1)
    }
  }
  nc <- rowSums(o); N <- sum(nc)
  delta <- outer(seq_along(vals), seq_along(vals), Vectorize(function(i, j) {
    if (level == "nominal") return(as.numeric(i != j))
    if (level == "interval") return((vals[i] - vals[j])^2)
    lo <- min(i, j); hi <- max(i, j); (sum(nc[lo:hi]) - (nc[i] + nc[j]) / 2)^2
  }))
  1 - (N - 1) * sum(o * delta) / sum(outer(nc, nc) * delta)
}
published <- rbind(c(1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA), c(1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3),
                   c(NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA), c(1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA))
write_data(as.data.frame(published), "kripp_published")
for (level in c("nominal", "ordinal", "interval")) put("kripp_published", level, kalpha(published, level))
truth <- sample(1:5, 25, TRUE)
coders <- t(sapply(1:4, function(c) likert(truth + sample(-1:1, 25, TRUE, prob = c(.15, .7, .15)))))
coders[cbind(sample(4, 12, TRUE), sample(25, 12))] <- NA
write_data(as.data.frame(coders), "kripp_coders")
for (level in c("nominal", "ordinal", "interval")) put("kripp_coders", level, kalpha(coders, level))

# --- r_wg and r_wg(J) (multilevel, uniform null (A^2 - 1)/12 = 2 on 5 points); ICC(1), ICC(2) ----
team <- rep(sprintf("team%d", 1:6), times = c(5, 6, 7, 8, 6, 8))
level <- rnorm(6, 3, 0.6)[as.integer(factor(team))]
items <- sapply(1:3, function(j) likert(level + rnorm(length(team), sd = 0.8)))
colnames(items) <- paste0("q", 1:3)
write_data(data.frame(team = team, items), "rwg_teams")
rw <- multilevel::rwg(items[, 1], team, ranvar = 2)
put("rwg", "rwg", rw$rwg)
rj <- multilevel::rwg.j(items, team, ranvar = 2)
put("rwg_j", "rwg_j", rj$rwg.j)
fit <- aov(q1 ~ team, data = data.frame(q1 = items[, 1], team = team))
put("icc_aggregation", "ICC1", multilevel::ICC1(fit))
put("icc_aggregation", "ICC2", multilevel::ICC2(fit))

write_values()
