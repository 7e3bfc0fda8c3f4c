"""MIT-BIH records and the beat features of Vigil's ECG classifier: the Python twin of the C++ chain.

Everything here mirrors signal/ecg/ (baseline filter, beat window, RR features) number for number;
signal/ecg/beat_features_golden_test.cc checks the C++ side against a golden file this module wrote
(models/ecg/make_golden.py). Change one side, change the other and regenerate the golden file.

  x      MLII samples in ADC units (int)
  z[n]   = x[n] * 73 * 217 - S217(S73(x))[n]       centred moving sums, edges clamped (exact integers)
  y[n]   = z[n] / (73 * 217 * gain)                 mV, baseline removed
  window 128 values: (z[r-92+2k] + z[r-91+2k]) / (2 * 73 * 217 * gain), k = 0..127 (180 Hz, -256..+456 ms)
  alignment  the lag (|lag| <= 16 samples; tried in the order 0, -1, +1, -2, ...; the first best
         wins) at which the window's QRS part (values 32..61) has the highest Pearson correlation
         with T's (float64 sums, left to right); the beat's window is taken there
  template  the patient's running average beat (float32): T += (window - T) / 16 after each beat
         whose pre/average RR ratio is >= 0.92 (premature beats do not pollute it); starts as the
         first window (at the detected R)
  beat   2 x 128 values: window / a and (window - T) / a, a = max(max|T|, 0.1 mV), T as before this beat
  qrs_difference  sum (window - T)^2 / sum T^2 over the QRS part of the window (values 32..61,
         -78..+89 ms around R), sums in float64 left to right, T as before this beat
  qrs_correlation  the Pearson correlation of the aligned window's QRS part with T's
  qrs_amplitude_ratio  sqrt(sum window^2 / sum T^2) over the same part, float64 sums
  rr     9 values from the R times (seconds, each RR clamped to 3 s):
         pre, post, local (mean of the last 8 pre), average (mean of the last 128 pre),
         pre/average, post/average, local/average, post/pre,
         irregularity/average (mean |difference| of the 8 pre before this beat)
"""
import os

import numpy as np

FS = 360
SHORT_TAPS = 73          # 0.2 s moving sum
LONG_TAPS = 217          # 0.6 s moving sum
BASELINE_SCALE = SHORT_TAPS * LONG_TAPS
WINDOW_BEFORE = 92       # samples at 360 Hz before R
WINDOW_SAMPLES = 128     # after decimation by 2
RR_CLAMP_SAMPLES = 3 * FS
LOCAL_BEATS = 8
AVERAGE_BEATS = 128
RR_FEATURES = 9

DS1 = [101, 106, 108, 109, 112, 114, 115, 116, 118, 119, 122, 124, 201, 203, 205, 207, 208, 209, 215,
       220, 223, 230]
DS2 = [100, 103, 105, 111, 113, 117, 121, 123, 200, 202, 210, 212, 213, 214, 219, 221, 222, 228, 231,
       232, 233, 234]

# WFDB annotation codes that mark a QRS complex (WFDB's isqrs()).
QRS_CODES = set(range(1, 14)) | {25, 30, 34, 35, 38, 41}
# AAMI classes by de Chazal et al. 2004: N = N L R e j; S = A a J S; V = V E; F = F; Q = / f Q.
CLASSES = ["N", "S", "V", "F", "Q"]
CODE_TO_CLASS = {1: 0, 2: 0, 3: 0, 34: 0, 11: 0,   # N L R e j
                 8: 1, 4: 1, 7: 1, 9: 1,           # A a J S
                 5: 2, 10: 2,                      # V E
                 6: 3,                             # F
                 12: 4, 38: 4, 13: 4,             # / f Q
                 25: 0}                            # B (bundle branch block, unspecified) as bxb maps it


def data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("VIGIL_DATA_DIR", os.path.join(here, "..", "..", "..", "shared", "data"))


def read_header(path):
    with open(path, "r", newline="") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip() and not l.startswith("#")]
    name, nsig, fs, nsamp = lines[0].split()[:4]
    signals = []
    for line in lines[1:1 + int(nsig)]:
        p = line.split()
        gain = float(p[2].split("(")[0].split("/")[0]) if len(p) > 2 else 200.0
        signals.append({"file": p[0], "format": int(p[1]), "gain": gain or 200.0,
                        "description": " ".join(p[8:]) if len(p) > 8 else ""})
    return {"name": name, "fs": float(fs), "samples": int(nsamp), "signals": signals}


def read_212(path, nsig, nsamp):
    raw = np.fromfile(path, dtype=np.uint8)
    triples = raw[: (len(raw) // 3) * 3].reshape(-1, 3).astype(np.int32)
    s0 = triples[:, 0] | ((triples[:, 1] & 0x0F) << 8)
    s1 = triples[:, 2] | ((triples[:, 1] & 0xF0) << 4)
    flat = np.empty(2 * len(triples), dtype=np.int32)
    flat[0::2], flat[1::2] = s0, s1
    flat = np.where(flat > 2047, flat - 4096, flat)
    return flat[: nsig * nsamp].reshape(nsamp, nsig)


def read_annotations(path):
    """Returns (times, codes) of every annotation, following SKIP and skipping AUX/NUM/SUB/CHN."""
    words = np.fromfile(path, dtype="<u2")
    times, codes, t, i = [], [], 0, 0
    while i < len(words):
        w = int(words[i]); code, value = w >> 10, w & 0x3FF; i += 1
        if code == 0 and value == 0:
            break
        if code == 59:      # SKIP: 32-bit interval, high 16 bits first
            t += np.int32(np.uint32((int(words[i]) << 16) | int(words[i + 1]))).item(); i += 2
        elif code == 63:    # AUX: value bytes, padded to a word
            i += (value + 1) // 2
        elif code in (60, 61, 62):
            pass
        else:
            t += value
            times.append(t); codes.append(code)
    return np.array(times, dtype=np.int64), np.array(codes, dtype=np.int32)


def load_record(number, directory=None):
    directory = directory or os.path.join(data_dir(), "mitdb")
    base = os.path.join(directory, str(number))
    header = read_header(base + ".hea")
    lead = next(i for i, s in enumerate(header["signals"]) if s["description"] == "MLII")
    x = read_212(base + ".dat", len(header["signals"]), header["samples"])[:, lead].astype(np.int64)
    times, codes = read_annotations(base + ".atr")
    return {"number": number, "x": x, "gain": header["signals"][lead]["gain"], "ann_times": times,
            "ann_codes": codes}


def centred_moving_sum(x, taps):
    half = taps // 2
    padded = np.concatenate([np.full(half, x[0]), x, np.full(half, x[-1])])
    c = np.concatenate([[0], np.cumsum(padded)])
    return c[taps:] - c[:-taps]


def baseline_removed(x):
    """z = x * 73 * 217 - S217(S73(x)), exact int64 (the C++ filter's output before scaling)."""
    s1 = centred_moving_sum(x, SHORT_TAPS)
    s2 = centred_moving_sum(s1, LONG_TAPS)
    return x * BASELINE_SCALE - s2


def beat_windows(z, gain, r_peaks):
    starts = np.asarray(r_peaks) - WINDOW_BEFORE
    idx = starts[:, None] + 2 * np.arange(WINDOW_SAMPLES)[None, :]
    pairs = z[idx] + z[idx + 1]
    return (pairs / (2.0 * BASELINE_SCALE * gain)).astype(np.float32)


TEMPLATE_RATE = np.float32(0.0625)
TEMPLATE_GATE = np.float32(0.92)
TEMPLATE_MIN_AMPLITUDE = np.float32(0.1)


ALIGN_SAMPLES = 16


def correlation(a, b):
    """Pearson correlation of two float32 vectors, float64 sums left to right as the C++ twin adds."""
    n = len(a)
    sum_a = sum_b = 0.0
    for k in range(n):
        sum_a += float(a[k]); sum_b += float(b[k])
    mean_a, mean_b = sum_a / n, sum_b / n
    ab = aa = bb = 0.0
    for k in range(n):
        da, db = float(a[k]) - mean_a, float(b[k]) - mean_b
        ab += da * db; aa += da * da; bb += db * db
    norm = aa * bb
    return ab / np.sqrt(norm) if norm > 0 else 0.0


def aligned_beats(z, gain, r_peaks, rr):
    """Beat by beat, as the C++ BeatAssembler: each beat's lag (0, -1, +1, ... +-16 samples; the first
    best wins) at which its QRS part correlates best with the template, its window there, the template
    it saw (before its own update) and that template's amplitude a, its QRS difference and correlation."""
    n = len(r_peaks)
    windows = np.empty((n, WINDOW_SAMPLES), dtype=np.float32)
    templ = np.empty_like(windows)
    amp = np.empty(n, dtype=np.float32)
    lags = np.zeros(n, dtype=np.int32)
    corr = np.zeros(n, dtype=np.float32)
    template = None
    order = [0] + [lag for step in range(1, ALIGN_SAMPLES + 1) for lag in (-step, step)]
    for i, r in enumerate(r_peaks):
        if template is None:
            template = beat_windows(z, gain, [r])[0]
        best, best_lag = -2.0, 0
        for lag in order:
            if not window_fits([r + lag], len(z))[0]:
                continue
            c = correlation(beat_windows(z, gain, [r + lag])[0][QRS_FIRST:QRS_END], template[QRS_FIRST:QRS_END])
            if c > best:
                best, best_lag = c, lag
        w = beat_windows(z, gain, [r + best_lag])[0]
        windows[i], templ[i], lags[i], corr[i] = w, template, best_lag, np.float32(best)
        amp[i] = np.maximum(np.max(np.abs(template)), TEMPLATE_MIN_AMPLITUDE)
        if rr[i, 4] >= TEMPLATE_GATE:
            template = template + (w - template) * TEMPLATE_RATE
    difference, amplitude_ratio = qrs_comparison(windows, templ)
    return {"windows": windows, "template": templ, "amp": amp, "alignment": lags, "qrs_correlation": corr,
            "qrs_difference": difference, "qrs_amplitude_ratio": amplitude_ratio}


def beat_inputs(windows, template, amp):
    """Classifier input [n, 2, 128]: window / a and (window - template) / a."""
    a = amp[:, None]
    return np.stack([windows / a, (windows - template) / a], axis=1).astype(np.float32)


# The QRS part of the beat window, values 32..61 (-78 ms .. +89 ms around R at 180 Hz).
QRS_FIRST = 32
QRS_END = 62
QRS_MIN_TEMPLATE_ENERGY = 1e-12


def qrs_comparison(windows, template):
    """[n] float32 each: the energy of (window - template) over the QRS part relative to the template's,
    and the window's RMS amplitude there relative to the template's. The sums run left to right in
    float64, as the C++ twin's loop does, so both round alike."""
    w = windows[:, QRS_FIRST:QRS_END].astype(np.float64)
    t = template[:, QRS_FIRST:QRS_END].astype(np.float64)
    difference = np.zeros(len(w))
    beat_energy = np.zeros(len(w))
    energy = np.zeros(len(w))
    for k in range(QRS_END - QRS_FIRST):
        difference = difference + (w[:, k] - t[:, k]) * (w[:, k] - t[:, k])
        beat_energy = beat_energy + w[:, k] * w[:, k]
        energy = energy + t[:, k] * t[:, k]
    energy = np.maximum(energy, QRS_MIN_TEMPLATE_ENERGY)
    return (difference / energy).astype(np.float32), np.sqrt(beat_energy / energy).astype(np.float32)


def window_fits(r_peaks, length):
    r = np.asarray(r_peaks)
    return (r - WINDOW_BEFORE >= 0) & (r - WINDOW_BEFORE + 2 * WINDOW_SAMPLES <= length)


def rr_features(r_peaks):
    """RR features of each beat, computed beat by beat exactly as signal/ecg/rr_features.cc does."""
    r = np.asarray(r_peaks, dtype=np.int64)
    n = len(r)
    d = [min(int(r[i + 1] - r[i]), RR_CLAMP_SAMPLES) / FS for i in range(n - 1)]
    out = np.empty((n, RR_FEATURES), dtype=np.float32)
    pres = []
    for i in range(n):
        post = d[i] if i < n - 1 else (d[i - 1] if i > 0 else 1.0)
        pre = d[i - 1] if i > 0 else post
        pres.append(pre)
        local = sum(pres[-LOCAL_BEATS:]) / len(pres[-LOCAL_BEATS:])
        avg = sum(pres[-AVERAGE_BEATS:]) / len(pres[-AVERAGE_BEATS:])
        # Irregularity of the rhythm before this beat: mean |successive difference| of the 8 RR
        # intervals before it (atrial fibrillation is irregular; a PAC in sinus rhythm is not).
        before = pres[-(LOCAL_BEATS + 1):-1]
        diffs = [abs(before[k] - before[k - 1]) for k in range(1, len(before))]
        irregularity = sum(diffs) / len(diffs) if diffs else 0.0
        out[i] = [pre, post, local, avg, pre / avg, post / avg, local / avg, post / pre,
                  irregularity / avg]
    return out


def record_beats(rec):
    """Reference beats of a record: R times, AAMI class indices, beat windows, RR features."""
    keep = np.isin(rec["ann_codes"], list(QRS_CODES))
    r = rec["ann_times"][keep]
    labels = np.array([CODE_TO_CLASS.get(int(c), 4) for c in rec["ann_codes"][keep]], dtype=np.int64)
    return r, labels
