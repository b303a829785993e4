"""A local PBX that speaks the Ozeki 10 HTTP API, for developing and testing without one.

`Simulator` serves ``/api`` with the documented response XML and result codes, keeps calls in
the spec's states (§5.2), and POSTs notifications to the application's URLs, running the OzML
it answers through the interpreter. Needs httpx (``ozml[http]``) for the notifications.
"""

from ozml.callmodel.states import CallState
from ozml.simulator.config import ConfigError, SimulatorConfig, default_config, load_config
from ozml.simulator.server import Simulator

__all__ = [
    "CallState",
    "ConfigError",
    "Simulator",
    "SimulatorConfig",
    "default_config",
    "load_config",
]
