# Time to event (survival): Kaplan-Meier with Greenwood SE and log-log intervals (survfit,
# conf.type = "log-log"), the median and its interval, the log-rank test (survdiff) and Cox
# regression with Efron and Breslow ties (coxph).
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
suppressMessages(library(survival))
set.seed(20261206)

n <- 40
network <- rep(c("formal", "informal"), each = n / 2)
size <- round(rnorm(n, 0, 1), 2)
rate <- 0.08 * exp(0.7 * (network == "informal") + 0.3 * size)
event_time <- ceiling(rexp(n, rate))                 # whole months: many ties
follow <- sample(6:30, n, TRUE)
months <- pmin(event_time, follow); cohered <- as.numeric(event_time <= follow)
frame <- data.frame(months = months, cohered = cohered, network = network, size = size)
write_data(frame, "survival")

fit <- survfit(Surv(months, cohered) ~ network, data = frame, conf.type = "log-log")
s <- summary(fit, censored = TRUE)
for (i in seq_along(s$time)) {
  case <- sprintf("km_%s_t%g", sub("network=", "", as.character(s$strata[i])), s$time[i])
  put(case, "survival", s$surv[i]); put(case, "se", s$std.err[i])
  put(case, "ci_low", s$lower[i]); put(case, "ci_high", s$upper[i]); put(case, "at_risk", s$n.risk[i])
}
q <- quantile(fit, 0.5)
for (g in c("formal", "informal")) {
  row <- paste0("network=", g)
  put(paste0("km_median_", g), "median", q$quantile[row, 1])
  put(paste0("km_median_", g), "ci_low", q$lower[row, 1]); put(paste0("km_median_", g), "ci_high", q$upper[row, 1])
}

sd <- survdiff(Surv(months, cohered) ~ network, data = frame)
put("logrank", "chi2", sd$chisq); put("logrank", "p", pchisq(sd$chisq, 1, lower.tail = FALSE))
put("logrank", "expected", sd$exp); put("logrank", "observed", sd$obs)

for (ties in c("efron", "breslow")) {
  cx <- coxph(Surv(months, cohered) ~ network + size, data = frame, ties = ties)
  cs <- summary(cx)
  for (term in rownames(cs$coefficients)) {
    case <- paste0("cox_", ties, "_", term)
    put(case, "coef", cs$coefficients[term, "coef"]); put(case, "se", cs$coefficients[term, "se(coef)"])
    put(case, "hr", cs$conf.int[term, "exp(coef)"])
    put(case, "ci_low", cs$conf.int[term, "lower .95"]); put(case, "ci_high", cs$conf.int[term, "upper .95"])
    put(case, "p", cs$coefficients[term, "Pr(>|z|)"])
  }
  put(paste0("cox_", ties), "lr", cs$logtest["test"]); put(paste0("cox_", ties), "loglik", cx$loglik[2])
}

write_values()
