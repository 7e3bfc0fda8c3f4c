#!/bin/sh
# The ECG acceptance gate: `vigil ecg eval --check-floors` on DS2 with the built-in model (issue 4's
# floors: QRS Se and +P >= 99.7, VEB Se >= 85 and +P >= 90, SVEB Se >= 75 and +P >= 40, gross).
# Exits 77 (ctest: skipped) when the mitdb data set is absent.
vigil="$1"
db="${VIGIL_DATA_DIR:-../shared/data}/mitdb"
if [ ! -f "$db/100.dat" ]; then
  echo "MIT-BIH Arrhythmia Database (mitdb) not found in $db: skipped"
  exit 77
fi
exec "$vigil" ecg eval --db "$db" --records DS2 --check-floors
