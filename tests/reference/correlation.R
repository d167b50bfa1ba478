# Rank correlation between two rankings of the same eight things: Kendall's tau-b and Spearman's
# rho (cor.test, exact p without ties), their Fisher-z intervals with the Fieller-Hartley-Pearson
# (tau) and Bonett-Wright (rho) standard errors, written out; tau-b with ties (cor).
source(file.path(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))), "common.R"))
set.seed(20261207)

things <- paste0("thing", 1:8)
a <- sample(8); b <- rank(a + rnorm(8, sd = 4))
write_data(data.frame(thing = things, a = a, b = b), "rankings")
n <- 8; q <- qnorm(0.975)
kt <- cor.test(a, b, method = "kendall", exact = TRUE)
tau <- unname(kt$estimate); se <- sqrt(0.437 / (n - 4))
put("tau_b", "estimate", tau); put("tau_b", "p", kt$p.value)
put("tau_b", "ci_low", tanh(atanh(tau) - q * se)); put("tau_b", "ci_high", tanh(atanh(tau) + q * se))
st <- cor.test(a, b, method = "spearman", exact = TRUE)
rho <- unname(st$estimate); se <- sqrt((1 + rho^2 / 2) / (n - 3))
put("rho", "estimate", rho); put("rho", "p", st$p.value)
put("rho", "ci_low", tanh(atanh(rho) - q * se)); put("rho", "ci_high", tanh(atanh(rho) + q * se))

# tau-b with tied mean ranks (Kendall 1945)
x <- c(1.5, 1.5, 3, 4.5, 4.5, 6, 7, 8); y <- c(2, 1, 3.5, 3.5, 6, 5, 8, 7)
write_data(data.frame(x = x, y = y), "rankings_tied")
put("tau_b_tied", "estimate", cor(x, y, method = "kendall"))
put("rho_tied", "estimate", cor(x, y, method = "spearman"))

write_values()
