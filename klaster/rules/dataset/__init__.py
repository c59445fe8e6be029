"""The cluster dataset exchange format (shared/spec/DATASET.md): model, schema, load, dump."""

from klaster.rules.dataset.model import *  # noqa: F403
