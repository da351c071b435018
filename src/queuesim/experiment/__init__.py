"""Running scenarios: replications now; comparisons, sweeps and staffing search build on it."""
