#!/bin/sh
# The ECG acceptance gate: `vigil ecg eval --check-floors` on DS2 with the built-in model (fails when
# a floor of issue 4 is missed). Exits 77 (ctest: skipped) when the mitdb data set is absent.
vigil="$1"
db="${VIGIL_DATA_DIR:-../shared/data}/mitdb"
if [ ! -f "$db/100.dat" ]; then
  echo "MIT-BIH Arrhythmia Database (mitdb) not found in $db: skipped"
  exit 77
fi
exec "$vigil" ecg eval --db "$db" --records DS2 --check-floors
