# Means: one-way ANOVA (aov) with eta-squared / omega-squared and the noncentral-F interval
# (effectsize, two-sided), Tukey HSD (TukeyHSD); Welch's t (t.test); Hedges' g (effectsize,
# exact small-sample correction) and its normal-theory interval (Hedges & Olkin 1985, written out);
# moderation (lm with centred predictors, simple slopes from vcov); power (pwr).
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
suppressMessages({library(effectsize); library(pwr)})
set.seed(20261204)

# --- one-way ANOVA and Tukey: four groups of unequal size ---------------------------------------
sizes <- c(7, 9, 6, 8)
frame <- data.frame(group = rep(c("g1", "g2", "g3", "g4"), times = sizes),
                    y = round(c(rnorm(7, 10, 2), rnorm(9, 12, 2), rnorm(6, 13.5, 2), rnorm(8, 10.5, 2)), 3))
write_data(frame, "anova_groups")
fit <- aov(y ~ group, data = frame)
tab <- summary(fit)[[1]]
put("anova", "F", tab[1, "F value"]); put("anova", "p", tab[1, "Pr(>F)"])
put("anova", "SS_between", tab[1, "Sum Sq"]); put("anova", "SS_within", tab[2, "Sum Sq"])
eta <- effectsize::eta_squared(fit, partial = FALSE, ci = 0.95, alternative = "two.sided")
put("anova", "eta2", eta$Eta2); put("anova", "eta2_ci_low", eta$CI_low); put("anova", "eta2_ci_high", eta$CI_high)
# Steiger (2004): invert the noncentral F for lambda, then eta2 = lambda / (lambda + N)
f_obs <- tab[1, "F value"]; df1 <- tab[1, "Df"]; df2 <- tab[2, "Df"]; N <- nrow(frame)
lam <- function(target) uniroot(function(l) pf(f_obs, df1, df2, ncp = l) - target, c(0, 1000), tol = 1e-12)$root
put("anova", "eta2_ci_low_steiger", lam(0.975) / (lam(0.975) + N))
put("anova", "eta2_ci_high_steiger", lam(0.025) / (lam(0.025) + N))
put("anova", "omega2", effectsize::omega_squared(fit, partial = FALSE, ci = NULL)$Omega2)
tk <- TukeyHSD(fit, conf.level = 0.95)$group
for (i in seq_len(nrow(tk))) {           # R's rows are "g2-g1": mean of g2 minus mean of g1
  case <- paste0("tukey_", rownames(tk)[i])
  put(case, "diff", tk[i, "diff"]); put(case, "ci_low", tk[i, "lwr"]); put(case, "ci_high", tk[i, "upr"])
  put(case, "p", tk[i, "p adj"])
}

# --- Welch's t and Hedges' g ---------------------------------------------------------------------
x <- round(rnorm(11, 3.6, 0.6), 3); y <- round(rnorm(15, 3.1, 1.1), 3)
write_data(data.frame(side = rep(c("x", "y"), c(11, 15)), score = c(x, y)), "welch_two")
wt <- t.test(x, y, var.equal = FALSE)
put("welch", "t", wt$statistic); put("welch", "df", wt$parameter); put("welch", "p", wt$p.value)
put("welch", "ci_low", wt$conf.int[1]); put("welch", "ci_high", wt$conf.int[2])
put("welch", "difference", mean(x) - mean(y))
hg <- effectsize::hedges_g(x, y, pooled_sd = TRUE, ci = 0.95)
put("welch", "hedges_g", hg$Hedges_g)
put("welch", "hedges_g_nct_ci_low", hg$CI_low); put("welch", "hedges_g_nct_ci_high", hg$CI_high)
g <- hg$Hedges_g; n1 <- length(x); n2 <- length(y)
se <- sqrt((n1 + n2) / (n1 * n2) + g^2 / (2 * (n1 + n2)))   # Hedges & Olkin (1985), eq. 5.15
put("welch", "hedges_g_normal_ci_low", g - qnorm(0.975) * se)
put("welch", "hedges_g_normal_ci_high", g + qnorm(0.975) * se)

# --- moderation: y ~ x * m, centred ------------------------------------------------------------
n <- 70
xm <- round(rnorm(n, 3, 0.8), 2); mm <- round(rnorm(n, 3.2, 0.9), 2); cv <- round(rnorm(n), 2)
ym <- round(1 + 0.4 * xm + 0.3 * mm + 0.35 * (xm - 3) * (mm - 3.2) + 0.2 * cv + rnorm(n, sd = 0.7), 2)
write_data(data.frame(y = ym, x = xm, m = mm, cov = cv), "moderation")
xc <- xm - mean(xm); mc <- mm - mean(mm); cc <- cv - mean(cv)
mod <- lm(ym ~ xc * mc + cc)
main <- lm(ym ~ xc + mc + cc)
ci <- confint(mod)
put("moderation", "b3", coef(mod)["xc:mc"]); put("moderation", "b3_se", summary(mod)$coefficients["xc:mc", 2])
put("moderation", "b3_ci_low", ci["xc:mc", 1]); put("moderation", "b3_ci_high", ci["xc:mc", 2])
put("moderation", "b3_t", summary(mod)$coefficients["xc:mc", 3]); put("moderation", "b3_p", summary(mod)$coefficients["xc:mc", 4])
put("moderation", "r2", summary(mod)$r.squared); put("moderation", "delta_r2", summary(mod)$r.squared - summary(main)$r.squared)
V <- vcov(mod); sdm <- sd(mm)
for (k in c(-1, 0, 1)) {
  L <- setNames(rep(0, length(coef(mod))), names(coef(mod))); L["xc"] <- 1; L["xc:mc"] <- k * sdm
  est <- sum(L * coef(mod)); s <- sqrt(drop(t(L) %*% V %*% L))
  q <- qt(0.975, mod$df.residual)
  put(paste0("slope_", k), "slope", est); put(paste0("slope_", k), "se", s)
  put(paste0("slope_", k), "ci_low", est - q * s); put(paste0("slope_", k), "ci_high", est + q * s)
}

# --- power (pwr): paired and two-group t-tests ---------------------------------------------------
put("power", "n_paired_d0.5", pwr::pwr.t.test(d = 0.5, power = 0.8, type = "paired")$n)
put("power", "n_two_d0.5", pwr::pwr.t.test(d = 0.5, power = 0.8, type = "two.sample")$n)
put("power", "power_paired_d0.5_n9", pwr::pwr.t.test(d = 0.5, n = 9, type = "paired")$power)
put("power", "power_two_d0.8_n12", pwr::pwr.t.test(d = 0.8, n = 12, type = "two.sample")$power)
put("power", "power_paired_greater_d0.4_n20",
    pwr::pwr.t.test(d = 0.4, n = 20, type = "paired", alternative = "greater")$power)
put("power", "mde_paired_n9", pwr::pwr.t.test(n = 9, power = 0.8, type = "paired")$d)
put("power", "mde_two_n15", pwr::pwr.t.test(n = 15, power = 0.8, type = "two.sample")$d)

write_values()
