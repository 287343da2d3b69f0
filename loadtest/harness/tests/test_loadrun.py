"""Unit tests of the harness's arithmetic and parsing (run by HarnessTest in mvn verify)."""
import os
import tempfile
import unittest

from loadrun import hey_runs, pictures, prom_metrics, samples, thresholds
from loadrun.samples import Sample


class QuantilesAndSummaries(unittest.TestCase):
    def test_nearest_rank_quantiles(self):
        values = list(range(1, 101))
        self.assertEqual(50, samples.quantile(values, 0.5))
        self.assertEqual(95, samples.quantile(values, 0.95))
        self.assertEqual(99, samples.quantile(values, 0.99))
        self.assertIsNone(samples.quantile([], 0.5))

    def test_errors_are_5xx_and_no_answer_and_failed_checks_are_counted_apart(self):
        got = samples.describe([Sample(0, "a", 200, 10), Sample(0.5, "a", 503, 20), Sample(1, "a", 0, 30),
                                Sample(1.5, "a", 404, 400, ok=False)])
        self.assertEqual(2, got["errors"])
        self.assertEqual(1, got["failed_checks"])
        self.assertEqual({"0": 1, "200": 1, "404": 1, "503": 1}, got["status_codes"])
        self.assertEqual(0.75, got["share_under_slo_latency"])

    def test_rate_is_requests_over_the_span_they_cover(self):
        got = samples.describe([Sample(0, "a", 200, 0), Sample(1.9, "a", 200, 100)])
        self.assertEqual(1.0, got["requests_per_second"])


class Thresholds(unittest.TestCase):
    def test_the_document_gives_every_scenario_its_limits(self):
        journey = thresholds.for_scenario("journey")
        self.assertEqual({"p95": 1500.0, "p99": 3000.0}, journey["requests"]["login"])
        self.assertEqual(0.001, journey["max_error_rate"])
        self.assertEqual(5000.0, journey["accepted_to_ready_p99"])
        self.assertIsNone(thresholds.for_scenario("browse")["accepted_to_ready_p99"])

    def test_a_request_that_never_ran_fails_its_threshold(self):
        checked = thresholds.check("browse", {"overall": {"error_rate": 0}, "requests": {}})
        self.assertTrue(any(name == "me ran" and not passed for name, _, _, passed in checked))

    def test_a_slow_p99_fails_and_a_fast_one_passes(self):
        fast = {"count": 10, "latency_ms": {"p95": 100, "p99": 200}}
        slow = {"count": 10, "latency_ms": {"p95": 100, "p99": 1200}}
        summary = {"overall": {"error_rate": 0}, "requests": {"me": slow, "gallery_page": fast, "thumbnail": fast,
                                                              "original": fast, "original_revalidate": fast}}
        failed = [name for name, _, _, passed in thresholds.check("browse", summary) if not passed]
        self.assertEqual(["me p99"], failed)


class Parsing(unittest.TestCase):
    def test_hey_csv_rows_become_samples_checked_against_the_expected_status(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n"
                    "0.0120,0.0001,0,0,0.0110,0.0009,202,0.5000\n0.3000,0,0,0,0.29,0.01,503,0.7000\n")
        try:
            got = hey_runs.parse(f.name, hey_runs.HeyDrill("upload", "http://x", expect=202))
        finally:
            os.unlink(f.name)
        self.assertEqual([Sample(0.5, "upload", 202, 12.0, "hey", True), Sample(0.7, "upload", 503, 300.0, "hey", False)], got)

    def test_prometheus_figures_sum_heap_pools_and_convert_cpu_time(self):
        text = ('process_cpu_time_ns_total 2.5E9\n'
                'jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 100.0\n'
                'jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 50.0\n'
                'jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 7.0\n'
                'jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 3.0\n'
                '# HELP jvm_threads_states_threads blocked\njvm_threads_states_threads{state="blocked"} 1.0\n')
        got = prom_metrics.figures([prom_metrics.parse(text)], ["http://x/metrics"])
        self.assertEqual(2.5, got["process_cpu_seconds"])
        self.assertEqual(150.0, got["heap_used_bytes"])
        self.assertEqual(3.0, got["gc_pause_count"])
        self.assertIsNone(got["event_loop_blocked_metric"])


class Pictures(unittest.TestCase):
    def test_each_seed_makes_other_bytes_of_a_png(self):
        a, b = pictures.png(16, 8, 1), pictures.png(16, 8, 2)
        self.assertTrue(a.startswith(b"\x89PNG\r\n\x1a\n"))
        self.assertNotEqual(a, b)
        body = pictures.multipart("image", "a.png", "image/png", a)
        self.assertIn(b'name="image"; filename="a.png"', body)
        self.assertTrue(body.endswith(f"--{pictures.BOUNDARY}--\r\n".encode()))


if __name__ == "__main__":
    unittest.main()
