// driftwatch-bench: release-mode benchmarks that print figures (see README "Performance").
print("driftwatch-bench: no benchmark yet")
