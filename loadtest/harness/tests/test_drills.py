"""Unit tests of a drill's arithmetic: timings from probes, the error budget, the counts it compares."""
import unittest
from types import SimpleNamespace

from loadrun import drill_checks, drills
from loadrun.samples import Sample


def load_with(samples, readiness, services=("auth", "gateway")):
    return SimpleNamespace(samples=samples, readiness=readiness, services=list(services))


class Timings(unittest.TestCase):
    def test_first_503_readiness_down_and_back_and_first_success_are_measured_from_fault_and_repair(self):
        samples = [Sample(9.0, "probe_me", 200, 5), Sample(10.3, "probe_me", 503, 10), Sample(11, "upload", 503, 10),
                   Sample(20.2, "probe_me", 503, 5), Sample(20.6, "probe_me", 200, 40), Sample(21.5, "upload", 202, 500)]
        readiness = [(9.9, "auth", True), (10.2, "auth", False), (19.9, "auth", False), (20.4, "auth", True),
                     (10.2, "gateway", True), (20.4, "gateway", True)]
        t = drill_checks.timings(load_with(samples, readiness), 10.0, 20.0)
        self.assertAlmostEqual(0.31, t["first_503_s"])
        self.assertEqual("probe_me", t["first_503_request"])
        self.assertEqual({"auth": 0.2, "gateway": None}, t["readiness_down_s"])
        self.assertEqual({"auth": 0.4}, t["readiness_up_after_repair_s"])
        self.assertEqual({"probe_me": 0.64, "upload": 2.0}, t["first_success_after_repair_s"])

    def test_a_fault_nobody_noticed_has_no_503_and_nothing_to_recover(self):
        t = drill_checks.timings(load_with([Sample(11, "upload", 202, 10)], [(11, "auth", True)], ["auth"]), 10, 20)
        self.assertIsNone(t["first_503_s"])
        self.assertEqual({}, t["first_success_after_repair_s"])


class Budget(unittest.TestCase):
    def test_bad_is_5xx_and_no_answer_against_a_tenth_of_a_percent(self):
        samples = [Sample(i, "a", 200, 1) for i in range(990)] + [Sample(990 + i, "a", 503 if i % 2 else 0, 1) for i in range(10)]
        b = drill_checks.error_budget(samples)
        self.assertEqual(10, b["bad"])
        self.assertEqual(10.0, b["share_of_run_budget"])    # 1 % bad where 0.1 % is allowed


class Counts(unittest.TestCase):
    ROWS = {"auth_users": 5, "image_users": 5, "images": 7, "images_ready": 7, "counted_images": 7, "image_count_sum": 7,
            "outbox_unsent_auth": 0, "outbox_unsent_images": 0}

    def test_every_pair_agrees_when_nothing_was_lost_or_counted_twice(self):
        pairs = drill_checks.compare(self.ROWS, None, [5, 0], [6, 1])   # one upload got no answer: 6..7 rows
        self.assertTrue(all(lo <= actual <= hi for actual, lo, hi in pairs.values()), pairs)

    def test_a_lost_upload_a_double_count_and_a_stuck_outbox_row_each_fail_a_pair(self):
        rows = dict(self.ROWS, images=6, images_ready=6, counted_images=6, image_count_sum=7, outbox_unsent_auth=1)
        failed = [k for k, (a, lo, hi) in drill_checks.compare(rows, None, [5, 0], [7, 0]).items() if not lo <= a <= hi]
        self.assertEqual(3, len(failed), failed)

    def test_events_must_cover_every_row_by_key(self):
        events = {t: {"messages": 7, "distinct_keys": 7, "distinct_event_ids": 7} for t in
                  ("users.registered", "images.uploaded", "images.processed", "images.failed")}
        events["users.registered"]["distinct_keys"] = 4
        failed = [k for k, (a, lo, hi) in drill_checks.compare(self.ROWS, events, [5, 0], [7, 0]).items() if not lo <= a <= hi]
        self.assertEqual(["users.registered distinct keys = user rows"], failed)


class Arguments(unittest.TestCase):
    def test_short_form_is_ten_seconds_of_light_load_without_gatling(self):
        a = drills.parse_args(["all", "--short"])
        self.assertEqual((10.0, 0.5, 0.0), (a.fault_s, a.rate, a.gatling_rate))

    def test_minikube_needs_the_ingress_and_a_prometheus(self):
        with self.assertRaises(SystemExit):
            drills.parse_args(["postgres-down", "--target", "minikube"])


if __name__ == "__main__":
    unittest.main()
