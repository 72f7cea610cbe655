"""The MCMC task queue agent."""

from agents.app import app
from agents.queue import queue_agent
from contracts.enums import Agency

mcmc_queue = queue_agent(app, Agency.MCMC)
