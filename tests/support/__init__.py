"""Test support, kept out of the installed package: tiny real Argos packages
(:mod:`support.argos_package`) and the crash/pause driver of the build's checkpoints
(:mod:`support.faults`). Tests import it as ``support`` (pytest puts ``tests/`` on the path);
benchmarks put ``tests/`` on ``sys.path`` first."""
