#!/usr/bin/env bash
# Installs every dependency on a fresh Debian 12 machine and builds Vigil into build/.
# Usage: ./setup.sh            (apt packages + npm tools + build)
#        VIGIL_SKIP_APT=1 ./setup.sh   (build only)
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages by name. Grouped by what needs them; the SBOM (vigil sbom) reads the linked ones back.
APT_PACKAGES=(
  # toolchain and build
  cmake ninja-build g++ pkg-config git ca-certificates clang libclang-rt-14-dev
  # model format, ONNX import, tests, benchmarks
  flatbuffers-compiler libflatbuffers-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  # images and video (segmentation pipeline, OpenCV dnn as a benchmark peer)
  libopencv-dev
  # crypto/TLS, storage, HTTP (updates, server, audit)
  libssl-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  # the model update server's HTTP (ota/server)
  libcpp-httplib-dev
  # Cortex-M firmware under QEMU
  gcc-arm-none-eabi libnewlib-dev libnewlib-arm-none-eabi libstdc++-arm-none-eabi-dev
  libstdc++-arm-none-eabi-newlib qemu-system-arm
  # training scripts and test-data generation (Debian's python3, never pip)
  python3 python3-numpy python3-torch python3-onnx python3-flatbuffers
  # models/seg/train.py: the same OpenCV resize as `vigil seg` (identical preprocessing)
  python3-opencv
  # TUF golden vectors for the update tests (ota/tests/data/make_tuf_vectors.py)
  python3-securesystemslib python3-cryptography
  # reports: PDF through headless Chromium
  chromium
  # regulatory evidence: requirement and hazard files (YAML), ctest JUnit results (XML), and
  # poppler-utils to check and render the V&V report's PDF (pdftotext, pdftoppm)
  libyaml-cpp-dev libtinyxml2-dev poppler-utils
  # Node.js for the npm tools named in issues (schemas, peers)
  nodejs
)

if [[ "${VIGIL_SKIP_APT:-0}" != 1 ]]; then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  # nodesource's nodejs ships npm itself; Debian's needs the npm package.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# npm packages, pinned by package-lock.json: tools named in issues (tools/npm) and the benchmark
# peers (bench/peers: ONNX Runtime, without its GPU add-ons).
for dir in tools/npm bench/peers; do
  if [[ -f $dir/package-lock.json ]]; then
    (cd "$dir" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
  fi
done

cmake --preset default
cmake --build --preset default
