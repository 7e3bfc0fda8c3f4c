#!/usr/bin/env bash
# Installs every dependency on a fresh Debian 12 machine and builds Vigil into build/.
# Usage: ./setup.sh            (apt packages + npm tools + build: everything ./test.sh needs)
#        ./setup.sh --minimal  (only what builds and runs the `vigil` tool: no test toolchains,
#                               PyTorch, Chromium or Node.js; ./test.sh needs the full install)
#        VIGIL_SKIP_APT=1 ./setup.sh   (build only)
# Sizes and times of both installs: docs/house.md.
set -euo pipefail
cd "$(dirname "$0")"

minimal=0
case "${1:-}" in
  "") ;;
  --minimal) minimal=1 ;;
  *) echo "usage: ./setup.sh [--minimal]" >&2; exit 2 ;;
esac

# Debian packages by name, grouped by what needs them; the SBOM (vigil sbom) reads the linked ones
# back. What builds and runs the tool:
TOOL_PACKAGES=(
  # toolchain and build (GoogleTest too: CMake's configure step finds it)
  cmake ninja-build g++ pkg-config git ca-certificates libgtest-dev libgmock-dev
  # model format, ONNX import
  flatbuffers-compiler libflatbuffers-dev libonnx-dev libprotobuf-dev nlohmann-json3-dev
  # images and video (the segmentation pipeline, in vigil-seg): the OpenCV modules it links, not
  # libopencv-dev (every module, contrib, VTK, Qt: cmake/VigilOpenCV.cmake)
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  libopencv-highgui-dev
  # crypto/TLS, storage, HTTP (updates, server, audit)
  libssl-dev libsqlite3-dev libcurl4-openssl-dev
  # the model update server's HTTP (ota/server)
  libcpp-httplib-dev
  # regulatory evidence: requirement and hazard files (YAML), ctest JUnit results (XML)
  libyaml-cpp-dev libtinyxml2-dev
)
# What the tests, the training scripts and the reports need besides:
TEST_PACKAGES=(
  # the fuzz preset (libFuzzer); the formatting check (ctest clang_format), and ccache, which makes
  # the second (sanitizer) build of CI and every rebuild cheaper
  clang libclang-rt-14-dev clang-format ccache
  # OpenCV dnn, a peer of the benchmarks (bench/)
  libopencv-dnn-dev
  # Cortex-M firmware under QEMU (about 2.4 GB: the arm-none-eabi toolchain)
  gcc-arm-none-eabi libnewlib-dev libnewlib-arm-none-eabi libstdc++-arm-none-eabi-dev
  libstdc++-arm-none-eabi-newlib qemu-system-arm
  # training scripts and test-data generation (Debian's python3, never pip); the build exports
  # the PyTorch test models (testing/CMakeLists.txt)
  python3 python3-numpy python3-torch python3-onnx python3-flatbuffers
  # models/seg/train.py: the same OpenCV resize as `vigil seg` (identical preprocessing)
  python3-opencv
  # TUF golden vectors for the update tests (ota/tests/data/make_tuf_vectors.py)
  python3-securesystemslib python3-cryptography
  # the V&V report's PDF through headless Chromium (without it: HTML only), and poppler-utils to
  # check the PDF (pdftotext)
  chromium poppler-utils
  # Node.js for the npm tools named in issues (schemas, peers)
  nodejs
)
APT_PACKAGES=("${TOOL_PACKAGES[@]}")
((minimal)) || APT_PACKAGES+=("${TEST_PACKAGES[@]}")

if [[ "${VIGIL_SKIP_APT:-0}" != 1 ]]; then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  # nodesource's nodejs ships npm itself; Debian's needs the npm package.
  ((minimal)) || command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# npm packages, pinned by package-lock.json: tools named in issues (tools/npm) and the benchmark
# peers (bench/peers: ONNX Runtime, without its GPU add-ons).
if ((!minimal)); then
  for dir in tools/npm bench/peers; do
    if [[ -f $dir/package-lock.json ]]; then
      (cd "$dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi

cmake --preset default
if ((minimal)); then
  cmake --build --preset default --target vigil vigil-seg  # `vigil seg` runs vigil-seg
else
  cmake --build --preset default
fi
