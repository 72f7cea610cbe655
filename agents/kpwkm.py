"""The KPWKM task queue agent."""

from agents.app import app
from agents.queue import queue_agent
from contracts.enums import Agency

kpwkm_queue = queue_agent(app, Agency.KPWKM)
