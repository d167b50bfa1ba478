# Counts: Wilson intervals (prop.test without continuity correction inverts the score test, i.e.
# Wilson's interval), chi-square (chisq.test) with Cramér's V (vcd::assocstats) and the
# bias-corrected V (Bergsma 2013, written out), p-value adjustment (p.adjust), and
# proportional-odds regression (MASS::polr): Venables & Ripley's housing data and a seeded survey.
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
suppressMessages({library(vcd); library(MASS)})
set.seed(20261205)

# --- Wilson intervals ----------------------------------------------------------------------------
props <- data.frame(count = c(0, 1, 7, 12, 81, 30), n = c(10, 12, 12, 12, 263, 30))
write_data(props, "wilson")
for (i in seq_len(nrow(props))) {
  for (level in c(0.95, 0.90)) {
    ci <- prop.test(props$count[i], props$n[i], conf.level = level, correct = FALSE)$conf.int
    case <- sprintf("wilson_%d_%d_%g", props$count[i], props$n[i], level)
    put(case, "ci_low", ci[1]); put(case, "ci_high", ci[2])
  }
}

# --- chi-square and Cramér's V: 3 parties x 4 answers -------------------------------------------
party <- sample(c("client", "supplier", "partner"), 90, TRUE)
answer <- sapply(party, function(p) sample(c("A", "B", "C", "D"), 1,
                 prob = switch(p, client = c(.4, .3, .2, .1), supplier = c(.1, .2, .3, .4), partner = c(.25, .25, .25, .25))))
write_data(data.frame(party = party, answer = answer), "crosstab")
tab <- table(party, answer)
ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
put("chi_square", "chi2", ct$statistic); put("chi_square", "df", ct$parameter); put("chi_square", "p", ct$p.value)
put("chi_square", "cramers_v", assocstats(tab)$cramer)
n <- sum(tab); r <- nrow(tab); k <- ncol(tab); phi2 <- ct$statistic / n
phi2c <- max(0, phi2 - (k - 1) * (r - 1) / (n - 1)); rc <- r - (r - 1)^2 / (n - 1); kc <- k - (k - 1)^2 / (n - 1)
put("chi_square", "cramers_v_corrected", sqrt(phi2c / min(kc - 1, rc - 1)))
two <- matrix(c(12, 5, 7, 14), 2)
write_data(as.data.frame(two), "crosstab_2x2")
for (yates in c(FALSE, TRUE)) {
  t2 <- chisq.test(two, correct = yates)
  put(paste0("chi_square_2x2_yates_", yates), "chi2", t2$statistic)
  put(paste0("chi_square_2x2_yates_", yates), "p", t2$p.value)
}

# --- p-value adjustment ---------------------------------------------------------------------------
ps <- c(0.001, 0.012, 0.02, 0.04, 0.049, 0.3, 0.75)
write_data(data.frame(p = ps), "pvalues")
put("adjust", "holm", p.adjust(ps, "holm")); put("adjust", "fdr_bh", p.adjust(ps, "BH"))

# --- proportional odds: Copenhagen housing (Venables & Ripley 2002, section 7.3) ---------------
write_data(housing, "housing")
fit <- polr(Sat ~ Infl + Type + Cont, weights = Freq, data = housing, Hess = TRUE)
s <- coef(summary(fit))
for (term in rownames(s)) { put(paste0("polr_housing_", term), "estimate", s[term, 1]); put(paste0("polr_housing_", term), "se", s[term, 2]) }
put("polr_housing", "loglik", logLik(fit)); put("polr_housing", "aic", AIC(fit))

# --- proportional odds: seeded survey, a numeric and a three-level predictor ---------------------
m <- 150
team <- sample(c("north", "south", "west"), m, TRUE); years <- round(runif(m, 0, 10), 1)
eta <- 0.25 * years + c(north = 0, south = 0.8, west = -0.5)[team]
latent <- eta + rlogis(m)
answer <- cut(latent, c(-Inf, 0.3, 1.5, 2.6, Inf), labels = c("poor", "fair", "good", "great"))
survey <- data.frame(answer = answer, team = team, years = years)
write_data(survey, "ordinal_survey")
fit2 <- polr(answer ~ team + years, data = survey, Hess = TRUE)
s2 <- coef(summary(fit2))
for (term in rownames(s2)) { put(paste0("polr_survey_", term), "estimate", s2[term, 1]); put(paste0("polr_survey_", term), "se", s2[term, 2]) }
put("polr_survey", "loglik", logLik(fit2))

write_values()
