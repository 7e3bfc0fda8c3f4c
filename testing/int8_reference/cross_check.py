#!/usr/bin/python3
"""Runs random one-op int8 models (random_op_models.py) through the C++ runtime (`vigil run`) and
through this reference, and requires the outputs to be equal bit for bit.

Usage: /usr/bin/python3 cross_check.py --vigil build/bin/vigil [--trials N] [--seed S]
           [--ops Conv,Add,...] [--keep-dir DIR]

Prints one line per op (models compared, equal). A model either side rejects, or any output bit
that differs, fails the run (exit 1); --keep-dir keeps each such model and its inputs for
`run_model.py --dump-dir` and `vigil run`. Exit 2: bad usage.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

from int8_reference import Int8SpecError
from model_file import ModelError, default_ops_def, read_model, read_op_table
from model_interpreter import run
from random_op_models import GENERATORS, random_model


def _run_cpp(vigil, model_path, input_paths, output_path):
    command = [vigil, 'run', model_path, '-o', output_path]
    for path in input_paths:
        command += ['-i', path]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None, result.stderr.strip()
    return np.load(output_path), ''


def _run_reference(model_path, inputs, ops):
    try:
        return run(read_model(model_path, ops), inputs)[0][0], ''
    except (ModelError, Int8SpecError) as error:
        return None, str(error)


def compare(vigil, data, inputs, folder, ops):
    """'' when both sides give the same output bits, else what went wrong."""
    model_path = os.path.join(folder, 'model.vgl')
    with open(model_path, 'wb') as f:
        f.write(data)
    input_paths = []
    for i, x in enumerate(inputs):
        input_paths.append(os.path.join(folder, f'input{i}.npy'))
        np.save(input_paths[-1], x)
    cpp, cpp_error = _run_cpp(vigil, model_path, input_paths, os.path.join(folder, 'cpp.npy'))
    ref, ref_error = _run_reference(model_path, inputs, ops)
    if cpp is None or ref is None:
        return f'C++: {cpp_error or "ran"} | reference: {ref_error or "ran"}'
    if cpp.shape != ref.shape or cpp.dtype != ref.dtype:
        return f'C++ gave {cpp.dtype} {list(cpp.shape)}, reference {ref.dtype} {list(ref.shape)}'
    differ = np.flatnonzero(cpp.view(np.uint32) != ref.view(np.uint32))  # bits, NaN included
    if differ.size:
        k = differ[0]
        return (f'{differ.size} of {ref.size} outputs differ, first at flat index {k}: '
                f'C++ {cpp.ravel()[k]!r}, reference {ref.ravel()[k]!r}')
    return ''


def _keep(keep_dir, op, trial, folder):
    target = os.path.join(keep_dir, f'{op}_{trial}')
    os.makedirs(target, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(('.vgl', '.npy')):
            os.replace(os.path.join(folder, name), os.path.join(target, name))
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(prog='cross_check.py', description=__doc__.split('\n\n')[0])
    parser.add_argument('--vigil', required=True, help='the vigil executable')
    parser.add_argument('--trials', type=int, default=3, help='models per op (default 3)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--ops', default=','.join(GENERATORS), help='comma-separated ops')
    parser.add_argument('--keep-dir', help='keep failing models and their inputs here')
    args = parser.parse_args(argv)
    unknown = set(args.ops.split(',')) - set(GENERATORS)
    if unknown:
        parser.error(f'no generator for {sorted(unknown)}; known: {sorted(GENERATORS)}')
    rng, ops, failures = np.random.default_rng(args.seed), read_op_table(default_ops_def()), 0
    with tempfile.TemporaryDirectory() as folder:
        for op in args.ops.split(','):
            equal = 0
            for trial in range(args.trials):
                data, inputs = random_model(rng, op)
                problem = compare(args.vigil, data, inputs, folder, ops)
                if not problem:
                    equal += 1
                    continue
                failures += 1
                kept = f' (kept in {_keep(args.keep_dir, op, trial, folder)})' \
                    if args.keep_dir else ''
                print(f'{op} model {trial}: {problem}{kept}')
            print(f'{op:18s} {args.trials} models, {equal} equal')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
