# Shared by every reference script: where to write, and how.
# Each script writes its seeded input data to data/<name>.csv and the values R computes from them to
# values/<script>.csv (columns: case, quantity, value), which tests/test_reference_r.py reads.
# The scripts run with Debian's R (r-base-core and r-cran-* packages): `make reference`.
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
args <- commandArgs(trailingOnly = FALSE)
script <- normalizePath(sub("^--file=", "", args[grep("^--file=", args)]))
here <- dirname(script)
dir.create(file.path(here, "data"), showWarnings = FALSE)
dir.create(file.path(here, "values"), showWarnings = FALSE)
.rows <- new.env()
.rows$list <- list()

# One reference value per row; a vector is stored element by element as quantity[1], quantity[2]...
put <- function(case, quantity, value) {
  value <- as.numeric(value)
  names <- if (length(value) == 1) quantity else sprintf("%s[%d]", quantity, seq_along(value))
  for (i in seq_along(value)) {
    .rows$list[[length(.rows$list) + 1]] <- data.frame(case = case, quantity = names[i],
                                                       value = sprintf("%.15g", value[i]))
  }
}

write_data <- function(frame, name) {
  write.csv(frame, file.path(here, "data", paste0(name, ".csv")), row.names = FALSE, na = "")
}

write_values <- function() {
  name <- sub("\\.R$", "", basename(script))
  out <- do.call(rbind, .rows$list)
  write.csv(out, file.path(here, "values", paste0(name, ".csv")), row.names = FALSE, quote = TRUE)
  versions <- sapply(c("base", loadedNamespaces()), function(p) as.character(packageVersion(p)))
  keep <- sort(unique(names(versions)))
  writeLines(sprintf("%s %s", keep, versions[keep]), file.path(here, "values", paste0(name, ".versions")))
  cat(sprintf("%s: %d reference values\n", name, nrow(out)))
}

likert <- function(x, k = 5) pmin(k, pmax(1, round(x)))
