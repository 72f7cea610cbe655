"""Agency-side Faust agents: one per agency queue (MCMC, PDRM, KPWKM) and the task lifecycle."""
