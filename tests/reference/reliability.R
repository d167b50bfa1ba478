# Cronbach's alpha (psych::alpha): listwise and pairwise, a reverse-keyed item, missing answers,
# a constant item; Feldt's interval (psych's alpha.ci); item-total r and alpha-if-deleted.
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
suppressMessages(library(psych))

set.seed(20261201)
n <- 60
f <- rnorm(n)
x <- sapply(1:6, function(j) likert(3 + f + rnorm(n, sd = 0.9)))
colnames(x) <- paste0("i", 1:6)
x[, "i4"] <- 6 - x[, "i4"]               # i4 is reverse-worded: stored as answered
x[cbind(sample(n, 9), sample(6, 9, replace = TRUE))] <- NA
write_data(as.data.frame(x), "alpha_items")
keyed <- x
keyed[, "i4"] <- 6 - keyed[, "i4"]        # what PollData.items() hands to cronbach_alpha

one <- function(case, data, use) {
  a <- psych::alpha(data, use = use, warnings = FALSE)
  put(case, "alpha", a$total$raw_alpha)
  put(case, "item_total_r", a$item.stats$r.drop)
  put(case, "alpha_if_deleted", a$alpha.drop$raw_alpha)
  a
}
complete <- na.omit(keyed)
a <- one("listwise", complete, "pairwise")
put("listwise", "n", nrow(complete))
invisible(capture.output(fe <- psych::alpha.ci(a$total$raw_alpha, nrow(complete), ncol(complete), p.val = 0.05, digits = 15)))
put("listwise", "feldt_low", fe$lower.ci)
put("listwise", "feldt_high", fe$upper.ci)
# psych reverses an item itself when told its key: the same alpha as recoding 6 - x first.
k <- psych::alpha(na.omit(x), keys = c("i4"), warnings = FALSE)
put("listwise_keys", "alpha", k$total$raw_alpha)
invisible(one("pairwise", keyed, "pairwise"))

# A constant item: psych warns, drops it and computes alpha on the rest.
constant <- complete
constant[, "i2"] <- 3
write_data(as.data.frame(constant), "alpha_constant_item")
c1 <- withCallingHandlers(psych::alpha(constant), warning = function(w) invokeRestart("muffleWarning"))
put("constant_item", "alpha", c1$total$raw_alpha)
put("constant_item", "n_items_used", nrow(c1$alpha.drop))

write_values()
