"""The installed version of queuesim."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("queuesim-service")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
