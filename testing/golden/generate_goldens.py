#!/usr/bin/python3
"""Generates the golden cases of the runtime tests: testing/golden/kernels/<op>_golden.h for each
reference kernel and testing/golden/models/<model>_golden.h for the whole-model cases.

Every expected output is computed independently of Vigil, in float64, by PyTorch, NumPy or ONNX's
own reference code (each case's comment in the header says which), then rounded to float32.

Usage (Debian's interpreter, which has python3-torch, python3-numpy and python3-onnx):
  /usr/bin/python3 testing/golden/generate_goldens.py           # rewrite the headers
  /usr/bin/python3 testing/golden/generate_goldens.py --check   # exit 1 if any is stale
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import cases_conv
    import cases_elementwise
    import cases_layout
    import cases_linear
    import cases_models
    import cases_pool
    import cases_quantize
    import cases_resize
    from golden_emit import header_text
except ImportError as error:  # torch, numpy or onnx missing: not this machine's job
    print("generate_goldens: %s (needs python3-torch, python3-numpy, python3-onnx)" % error)
    sys.exit(77)

# op file (runtime/kernels/reference/<op>.cc), case struct, array name, case function
OPS = [
    ("add", "BinaryCase", "kAddCases", cases_elementwise.add_cases),
    ("average_pool", "PoolCase", "kAveragePoolCases", cases_pool.average_pool_cases),
    ("clip", "UnaryCase", "kClipCases", cases_elementwise.clip_cases),
    ("concat", "ConcatCase", "kConcatCases", cases_layout.concat_cases),
    ("conv", "ConvCase", "kConvCases", cases_conv.conv_cases),
    ("conv_transpose", "ConvCase", "kConvTransposeCases", cases_conv.conv_transpose_cases),
    ("dequantize", "QuantizeCase", "kDequantizeCases", cases_quantize.dequantize_cases),
    ("gemm", "GemmCase", "kGemmCases", cases_linear.gemm_cases),
    ("global_average_pool", "UnaryCase", "kGlobalAveragePoolCases", cases_pool.global_average_pool_cases),
    ("leaky_relu", "UnaryCase", "kLeakyReluCases", cases_elementwise.leaky_relu_cases),
    ("mat_mul", "MatMulCase", "kMatMulCases", cases_linear.mat_mul_cases),
    ("max_pool", "PoolCase", "kMaxPoolCases", cases_pool.max_pool_cases),
    ("mul", "BinaryCase", "kMulCases", cases_elementwise.mul_cases),
    ("pad", "PadCase", "kPadCases", cases_layout.pad_cases),
    ("quantize", "QuantizeCase", "kQuantizeCases", cases_quantize.quantize_cases),
    ("relu", "UnaryCase", "kReluCases", cases_elementwise.relu_cases),
    ("resize", "ResizeCase", "kResizeCases", cases_resize.resize_cases),
    ("sigmoid", "UnaryCase", "kSigmoidCases", cases_elementwise.sigmoid_cases),
    ("slice", "SliceCase", "kSliceCases", cases_layout.slice_cases),
    ("softmax", "SoftmaxCase", "kSoftmaxCases", cases_elementwise.softmax_cases),
    ("sub", "BinaryCase", "kSubCases", cases_elementwise.sub_cases),
    ("tanh", "UnaryCase", "kTanhCases", cases_elementwise.tanh_cases),
    ("transpose", "TransposeCase", "kTransposeCases", cases_layout.transpose_cases),
]

# model (golden_models.cc builds it), case struct, array name, case function
MODELS = [
    ("tiny_unet", "TinyUNetCase", "kTinyUNetCases", lambda: [cases_models.tiny_unet_case()]),
    ("ecg_cnn", "EcgCnnCase", "kEcgCnnCases", lambda: [cases_models.ecg_cnn_case()]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed headers")
    parser.add_argument("--out", default=HERE, help="folder holding kernels/ and models/")
    args = parser.parse_args()
    stale = []
    jobs = [("kernels", "runtime/kernels/reference/%s.cc" % op, op, struct, array, make)
            for op, struct, array, make in OPS]
    jobs += [("models", "the %s graph of golden_models.cc" % name, name, struct, array, make)
             for name, struct, array, make in MODELS]
    for folder, subject, file_name, struct, array, make_cases in jobs:
        cases = make_cases()
        names = [c["name"] for c in cases]
        assert len(set(names)) == len(names), "duplicate case names for " + file_name
        text = header_text(subject, struct, array, cases, "testing/golden/generate_goldens.py")
        path = os.path.join(args.out, folder, file_name + "_golden.h")
        if args.check:
            current = open(path).read() if os.path.exists(path) else None
            if current != text:
                stale.append(path)
        else:
            with open(path + ".tmp", "w") as f:
                f.write(text)
            os.replace(path + ".tmp", path)
    if stale:
        print("stale golden headers (run testing/golden/generate_goldens.py):\n  " + "\n  ".join(stale))
        return 1
    print("%d golden headers %s" % (len(jobs), "are current" if args.check else "written"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
