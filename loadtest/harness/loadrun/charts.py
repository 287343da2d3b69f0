"""PNG charts drawn with gnuplot (Debian): latency over time with a rolling p95, throughput, status codes."""
import os
import shutil
import subprocess
from collections import defaultdict

from .samples import quantile

MAX_POINTS = 20000  # scatter points per chart: more only slows gnuplot, the p95 line uses every sample


def require_gnuplot():
    if not shutil.which("gnuplot"):
        raise SystemExit("gnuplot is missing: apt-get install gnuplot-nox (the charts need it)")


def status_class(status):
    return "error" if status == 0 else f"{status // 100}xx"


def draw_run(samples, out_dir, title, windows=()):
    """latency.png, throughput.png, status.png for one run's samples; their file names. `windows`:
    (start s, end s) spans shaded on every chart (a drill's fault)."""
    require_gnuplot()
    data = os.path.join(out_dir, "chart-data")
    os.makedirs(data, exist_ok=True)
    names = sorted({s.name for s in samples})
    step = max(1, len(samples) // MAX_POINTS)
    with open(os.path.join(data, "latency.dat"), "w") as f:
        for i, name in enumerate(names):
            f.write(f'"{name}"\n')
            for s in [s for s in samples if s.name == name][::step]:
                f.write(f"{s.offset_s:.3f} {s.latency_ms:.3f}\n")
            f.write("\n\n")
    per_second = defaultdict(list)
    for s in samples:
        per_second[int(s.offset_s)].append(s)
    seconds = range(0, max(per_second) + 1) if per_second else range(0)
    with open(os.path.join(data, "p95.dat"), "w") as f:
        for t in seconds:
            window = [s.latency_ms for u in range(max(0, t - 4), t + 1) for s in per_second.get(u, [])]
            if window:
                f.write(f"{t + 1} {quantile(window, 0.95):.3f}\n")
    with open(os.path.join(data, "throughput.dat"), "w") as f:
        f.write("second " + " ".join(f'"{n}"' for n in names) + "\n")
        for t in seconds:
            counts = [sum(1 for s in per_second.get(t, []) if s.name == n) for n in names]
            f.write(f"{t} " + " ".join(map(str, counts)) + "\n")
    classes = sorted({status_class(s.status) for s in samples})
    with open(os.path.join(data, "status.dat"), "w") as f:
        f.write("second " + " ".join(classes) + "\n")
        for t in seconds:
            counts = [sum(1 for s in per_second.get(t, []) if status_class(s.status) == c) for c in classes]
            f.write(f"{t} " + " ".join(map(str, counts)) + "\n")
    log_scale = "set logscale y\n" if samples and max(s.latency_ms for s in samples) > 50 * max(1, quantile([s.latency_ms for s in samples], 0.5)) else ""
    script = f"""
set terminal pngcairo size 1000,500 font ",10" noenhanced
set datafile separator whitespace
set key outside right top
set grid
# 16 distinguishable colours, one per request name (gnuplot's default cycle repeats after 8)
colors = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf #393b79 #e6550d #31a354 #756bb1 #636363 #843c39"
set xlabel "seconds since start"
{shading(windows)}
set output "{out_dir}/latency.png"
set title "{title}: latency per request, rolling p95 (5 s window)"
set ylabel "ms"
{log_scale}plot for [i=0:{len(names) - 1}] "{data}/latency.dat" index i using 1:2 with points pt 7 ps 0.3 lc rgb word(colors, i + 1) title columnheader(1), \\
     "{data}/p95.dat" using 1:2 with lines lw 3 lc rgb "black" title "rolling p95"
unset logscale y
set output "{out_dir}/throughput.png"
set title "{title}: requests completed per second"
set ylabel "req/s"
plot for [i=2:{len(names) + 1}] "{data}/throughput.dat" using 1:i with lines lw 2 lc rgb word(colors, i - 1) title columnheader(i)
set output "{out_dir}/status.png"
set title "{title}: answers per second by status class"
set ylabel "answers/s"
plot for [i=2:{len(classes) + 1}] "{data}/status.dat" using 1:i with lines lw 2 title columnheader(i)
"""
    _gnuplot(script, data)
    return ["latency.png", "throughput.png", "status.png"]


def shading(windows):
    """gnuplot rectangles behind the data for each (start, end) span, labelled at the top."""
    out = []
    for i, (start, end) in enumerate(windows, 1):
        out.append(f'set object {i} rect from first {start:.2f}, graph 0 to first {end:.2f}, graph 1 '
                   f'fc rgb "#f4cccc" fs solid 0.5 noborder behind')
        out.append(f'set label {i} "fault" at first {start:.2f}, graph 0.97 offset 0.5,0 front')
    return "\n".join(out)


def draw_benchmark(rows, out_path, title):
    """One bar per comparison: Shutterbus / baseline (1 = as fast as the baseline, the dashed line)."""
    require_gnuplot()
    data_dir = os.path.dirname(out_path)
    data = os.path.join(data_dir, "benchmark.dat")
    ratios = [r["ratio"] for r in rows if r["ratio"] is not None]
    top = max([1.15] + [v * 1.2 for v in ratios])
    with open(data, "w") as f:
        for r in rows:
            f.write(f'"{r["comparison"]}" {r["ratio"] if r["ratio"] is not None else "NaN"}\n')
    script = f"""
set terminal pngcairo size 1000,500 font ",10" noenhanced
set output "{out_path}"
set title "{title}"
set style fill solid 0.7
set boxwidth 0.5
set grid y
set xrange [-0.6:{len(rows) - 0.4}]
set yrange [0:{top:.3f}]
set ylabel "Shutterbus / baseline (median of paired rounds)"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2
set label "baseline = 1" at graph 0.01, first 1 offset 0,0.7
plot "{data}" using 0:2:xtic(1) with boxes lc rgb "#3b6ea5" notitle, \\
     "" using 0:2:(sprintf("%.3f", $2)) with labels offset 0,0.8 notitle
"""
    _gnuplot(script, data_dir)


def _gnuplot(script, data_dir):
    path = os.path.join(data_dir, "charts.gp")
    with open(path, "w") as f:
        f.write(script)
    done = subprocess.run(["gnuplot", path], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"gnuplot failed: {done.stderr.strip()}")


