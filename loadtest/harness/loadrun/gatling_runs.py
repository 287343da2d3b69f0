"""Gatling (the executable twin of the k6 scripts) started from this module's Maven class path."""
import glob
import os
import subprocess

from . import samples

HERE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIMULATIONS = {"journey": "JourneySimulation", "browse": "BrowseSimulation", "burst": "BurstSimulation",
               "smoke": "SmokeSimulation"}


def _newest(root):
    return max((os.path.getmtime(os.path.join(d, f)) for d, _, files in os.walk(root) for f in files), default=0)


def classpath():
    """The compiled simulations plus Gatling's jars; (re)built by Maven when missing or older than the sources."""
    listing = os.path.join(HERE, "target", "loadtest-classpath.txt")
    classes = os.path.join(HERE, "target", "test-classes", "io", "shutterbus", "loadtest", "gatling")
    stale = os.path.isdir(classes) and _newest(os.path.join(HERE, "src")) > _newest(os.path.join(HERE, "target", "test-classes"))
    if not (os.path.isfile(listing) and os.path.isdir(classes)) or stale:
        print("building the simulations: mvn -B -q -f loadtest/pom.xml test-compile", flush=True)
        subprocess.run(["mvn", "-B", "-q", "-f", os.path.join(HERE, "pom.xml"), "test-compile"], check=True)
    with open(listing) as f:
        jars = f.read().strip()
    return ":".join([os.path.join(HERE, "target", "test-classes"), os.path.join(HERE, "target", "classes"), jars])


def run(scenario, base_url, duration_s, rate, out_dir, latency_assertions=True):
    """Runs one simulation; (samples, exit code, HTML report dir or None)."""
    request_log = os.path.join(out_dir, "gatling-requests.csv")
    gatling_dir = os.path.join(out_dir, "gatling")
    cmd = ["java", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xmx512m", "-cp", classpath(),
           f"-DbaseUrl={base_url}", f"-DdurationSeconds={duration_s}", f"-Drate={rate}",
           f"-DrequestLog={request_log}", f"-DlatencyAssertions={'true' if latency_assertions else 'false'}",
           "io.gatling.app.Gatling", "-s", f"io.shutterbus.loadtest.gatling.{SIMULATIONS[scenario]}",
           "-rf", gatling_dir]
    with open(os.path.join(out_dir, "gatling-console.txt"), "w") as console:
        code = subprocess.run(cmd, stdout=console, stderr=subprocess.STDOUT).returncode
    reports = sorted(glob.glob(os.path.join(gatling_dir, "*", "index.html")))
    got = samples.read_csv(request_log) if os.path.isfile(request_log) else []
    return got, code, os.path.dirname(reports[-1]) if reports else None
