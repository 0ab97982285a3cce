"""iu-cutter v0.6: the orchestrator's context-pack cutter (a stand-in for the example)."""

VERSION = "v0.6"


def execution_enabled(config_path="killswitch.conf"):
    with open(config_path) as config:
        for line in config:
            if line.strip().startswith("execution_enabled"):
                return line.split("=", 1)[1].strip().lower() == "true"
    return False
