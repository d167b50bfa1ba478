# Rank tests: Wilcoxon signed-rank exact with ties (coin, exactRankTests) and untied (stats),
# Hodges-Lehmann shift and interval (wilcox.test), Mann-Whitney (wilcox.test: exact when both
# n < 50 and no ties, else normal with continuity correction), Holm (p.adjust), Kruskal-Wallis
# (kruskal.test) with epsilon-squared (effectsize::rank_epsilon_squared).
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
suppressMessages({library(coin); library(exactRankTests); library(effectsize)})
set.seed(20261203)

# --- paired Likert ratings: ties and zeros -----------------------------------------------------
before <- sample(1:5, 16, TRUE, prob = c(.1, .25, .35, .2, .1))
after <- likert(before + sample(-1:2, 16, TRUE, prob = c(.15, .3, .4, .15)))
write_data(data.frame(before = before, after = after), "paired_likert")
d <- after - before
nz <- d[d != 0]
put("signed_rank_ties", "n_ranked", length(nz))
put("signed_rank_ties", "T_plus", sum(rank(abs(nz))[nz > 0]))
for (alt in c("two.sided", "greater", "less")) {
  ex <- exactRankTests::wilcox.exact(after, before, paired = TRUE, alternative = alt)
  put("signed_rank_ties", paste0("p_", alt), ex$p.value)
  cn <- coin::wilcoxsign_test(after ~ before, zero.method = "Wilcoxon", distribution = "exact",
                              alternative = alt)
  put("signed_rank_ties", paste0("coin_p_", alt), coin::pvalue(cn))
}
# Pratt's zeros (coin's default): zeros ranked, then left out
cp <- coin::wilcoxsign_test(after ~ before, zero.method = "Pratt", distribution = "exact")
put("signed_rank_ties", "p_pratt", coin::pvalue(cp))

# --- paired continuous change: no ties, no zeros ------------------------------------------------
x <- round(rnorm(14, 50, 10), 2)
y <- round(x + rnorm(14, 3, 5), 2)
write_data(data.frame(before = x, after = y), "paired_continuous")
wt <- wilcox.test(y, x, paired = TRUE, exact = TRUE, conf.int = TRUE, conf.level = 0.95)
put("signed_rank_exact", "V", wt$statistic)
put("signed_rank_exact", "p", wt$p.value)
put("hodges_lehmann", "estimate", wt$estimate)
put("hodges_lehmann", "ci_low", wt$conf.int[1]); put("hodges_lehmann", "ci_high", wt$conf.int[2])
wt90 <- wilcox.test(y, x, paired = TRUE, exact = TRUE, conf.int = TRUE, conf.level = 0.90)
put("hodges_lehmann_90", "ci_low", wt90$conf.int[1]); put("hodges_lehmann_90", "ci_high", wt90$conf.int[2])

# --- three independent groups ------------------------------------------------------------------
g_untied <- data.frame(group = rep(c("a", "b", "c"), each = 10),
                       score = round(c(rnorm(10, 3.0), rnorm(10, 4.6), rnorm(10, 3.4)), 6))
write_data(g_untied, "groups_untied")
g_tied <- data.frame(group = rep(c("front", "middle", "top"), times = c(9, 12, 8)),
                     score = c(sample(1:5, 9, TRUE, prob = c(.3, .3, .2, .1, .1)),
                               sample(1:5, 12, TRUE, prob = c(.1, .2, .3, .3, .1)),
                               sample(1:5, 8, TRUE, prob = c(.05, .1, .2, .3, .35))))
write_data(g_tied, "groups_tied")
pairwise <- function(frame, case) {
  labels <- sort(unique(frame$group)); ps <- c()
  for (i in 1:(length(labels) - 1)) for (j in (i + 1):length(labels)) {
    a <- frame$score[frame$group == labels[i]]; b <- frame$score[frame$group == labels[j]]
    t <- suppressWarnings(wilcox.test(a, b))       # R's default: exact iff n < 50 and no ties
    pair <- paste0(case, "_", labels[i], "_", labels[j])
    put(pair, "U", t$statistic); put(pair, "p", t$p.value)
    put(pair, "exact", as.numeric(grepl("exact", t$method)))
    put(pair, "rank_biserial", effectsize::rank_biserial(a, b)$r_rank_biserial)
    ps <- c(ps, t$p.value)
  }
  put(case, "p_holm", p.adjust(ps, "holm"))
  kw <- kruskal.test(score ~ factor(group), data = frame)
  put(case, "H", kw$statistic); put(case, "df", kw$parameter); put(case, "p", kw$p.value)
  put(case, "epsilon2", effectsize::rank_epsilon_squared(score ~ factor(group), data = frame, ci = NULL)$rank_epsilon_squared)
}
pairwise(g_untied, "mw_untied")
pairwise(g_tied, "mw_tied")

write_values()
