#!/usr/bin/python3
"""Generates ONNX's own node test cases (model.onnx + test_data_set_0/*.pb) with Debian's python3-onnx.

Usage: /usr/bin/python3 generate_node_tests.py OUTPUT_DIR

This is `python3 -m onnx.backend.test.cmd_tools generate-data -o OUTPUT_DIR`. Debian 12 pairs onnx 1.12
with NumPy 1.24, which removed the np.float/np.int/... aliases some 1.12 case generators still use
(bernoulli, for one); the aliases are restored for the generators' sake before they run. The
generated expected outputs are ONNX's reference values: nothing here computes them.
"""
import sys

import numpy as np

for alias, builtin in (("float", float), ("int", int), ("bool", bool), ("object", object), ("str", str)):
    if alias not in np.__dict__:
        setattr(np, alias, builtin)

from onnx.backend.test import cmd_tools  # noqa: E402  (after the aliases, on purpose)

if len(sys.argv) != 2:
    sys.exit("usage: generate_node_tests.py OUTPUT_DIR")
sys.argv = ["cmd_tools", "generate-data", "-o", sys.argv[1]]
cmd_tools.main()
