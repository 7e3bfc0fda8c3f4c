#!/usr/bin/python3
"""Runs an int8 Vigil model (.vgl) with the independent NumPy reference of docs/int8_spec.md and
writes its outputs: the golden outputs the C++ kernels must match bit for bit.

Usage: /usr/bin/python3 run_model.py MODEL.vgl --input IN.npy [...] --output OUT.npy [...]
           [--dump-dir DIR] [--ops-def runtime/ops.def] [--bindings DIR]

Inputs and outputs are .npy files in the order of the model's graph inputs and outputs. --dump-dir
also writes every tensor the run produced or read (constants included) as <index>_<name>.npy.
Every file is written atomically, and only after the whole model ran: a model the spec does not
define (a float island, an op without an int8 form, an overflowing accumulator) leaves nothing
behind. Exit status: 0 done, 1 bad model or input (one line on stderr), 2 bad usage.
"""
import argparse
import os
import re
import sys
import tempfile

import numpy as np

from int8_reference import Int8SpecError
from model_file import ModelError, default_ops_def, read_model, read_op_table
from model_interpreter import run


def _save_atomic(path, array):
    """Writes the .npy into a temporary file beside path, then renames it over path."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix='.' + os.path.basename(path), suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            np.save(f, array, allow_pickle=False)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def sanitised(name):
    """A tensor name as a file name: anything but letters, digits, '.', '-' and '_' becomes '_'."""
    return re.sub(r'[^A-Za-z0-9._-]', '_', name)[:100] or 'unnamed'


def _load_inputs(paths):
    arrays = []
    for path in paths:
        try:
            arrays.append(np.load(path, allow_pickle=False))
        except (OSError, ValueError) as error:
            raise ModelError(f'cannot read input {path}: {error}') from None
    return arrays


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog='run_model.py', description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('model', help='the int8 model file (.vgl)')
    parser.add_argument('--input', nargs='+', action='extend', required=True, metavar='IN.npy',
                        help='one .npy per graph input, in order')
    parser.add_argument('--output', nargs='+', action='extend', required=True, metavar='OUT.npy',
                        help='one .npy per graph output, in order')
    parser.add_argument('--dump-dir', metavar='DIR', help='also write every tensor here')
    parser.add_argument('--ops-def', default=default_ops_def(), metavar='PATH',
                        help='the op table giving opcode numbers (default: %(default)s)')
    parser.add_argument('--bindings', metavar='DIR',
                        help='folder of the flatc-generated Python schema bindings (default: '
                             '$VIGIL_INT8_REFERENCE_BINDINGS, else generated now with flatc)')
    return parser.parse_args(argv)


def main(argv=None):
    args = _parse(argv)
    try:
        model = read_model(args.model, read_op_table(args.ops_def), args.bindings)
        if len(args.output) != len(model.outputs):
            raise ModelError(f'the model has {len(model.outputs)} outputs, --output names '
                             f'{len(args.output)} files')
        outputs, values = run(model, _load_inputs(args.input))
        for path, y in zip(args.output, outputs):
            _save_atomic(path, y)
        if args.dump_dir:
            os.makedirs(args.dump_dir, exist_ok=True)
            for index in sorted(values):
                name = f'{index}_{sanitised(model.tensors[index].name)}.npy'
                _save_atomic(os.path.join(args.dump_dir, name), values[index])
    except (ModelError, Int8SpecError, OSError) as error:
        print(f'run_model.py: error: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
