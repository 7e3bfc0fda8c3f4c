"""Self-test of check_includes.py: the project's own rules (docs/architecture.md) applied to small
fixture trees, each with one planted violation that must be caught, and the cases that must pass.

Usage: check_includes_test.py SOURCE_DIR (the rules are read from SOURCE_DIR/docs/architecture.md).
"""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_includes  # noqa: E402

SOURCE_DIR = None  # set by main


class DependencyRulesTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="dependency_rules_")
        self.addCleanup(shutil.rmtree, self.root)
        os.makedirs(os.path.join(self.root, "docs"))
        shutil.copy(os.path.join(SOURCE_DIR, check_includes.RULES_FILE), os.path.join(self.root, "docs"))
        with open(os.path.join(self.root, check_includes.RULES_FILE), encoding="utf-8") as f:
            rules, _ = check_includes.parse_rules(f.read())
        for folder in rules:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)

    def plant(self, path, *includes):
        os.makedirs(os.path.dirname(os.path.join(self.root, path)), exist_ok=True)
        with open(os.path.join(self.root, path), "w", encoding="utf-8") as f:
            f.write("// planted\n" + "".join(f"#include {i}\n" for i in includes))

    def assertCaught(self, path, include, why):
        with open(os.path.join(self.root, path), encoding="utf-8") as f:
            line = f.read().splitlines().index(f"#include {include}") + 1
        code, lines = check_includes.check(self.root)
        self.assertEqual(code, 1, lines)
        self.assertIn(f"{path}:{line}: #include {include}: {why}", "\n".join(lines))
        self.assertEqual(len(lines), 2, lines)  # that violation and the summary, nothing else

    def assertClean(self):
        code, lines = check_includes.check(self.root)
        self.assertEqual(code, 0, lines)

    def test_allowed_includes_pass(self):
        self.plant("runtime/core/ok.cc", '"core/crc32.h"', '"vigil/status.h"', '"vgl_generated.h"', "<cstdint>")
        self.plant("signal/ecg/ok.h", '"signal/ecg/ecg_signal_config.h"', "<cmath>")
        self.plant("apps/ecg_evaluation/ok.cc", '"apps/ecg_monitor/beat_classifier.h"', '"host/error.h"')
        self.assertClean()

    def test_runtime_including_host_code_is_caught(self):
        self.plant("runtime/core/fixture.h", '"core/crc32.h"', '"host/aligned_buffer.h"')
        self.assertCaught("runtime/core/fixture.h", '"host/aligned_buffer.h"', "runtime/ may include only")

    def test_runtime_including_testing_is_caught(self):
        self.plant("runtime/kernels/x.cc", "<cstring>", '"testing/golden/golden_models.h"')
        self.assertCaught("runtime/kernels/x.cc", '"testing/golden/golden_models.h"', "runtime/ may include only")

    def test_signal_ecg_including_a_heap_container_is_caught(self):
        self.plant("signal/ecg/x.cc", "<cstdint>", "<vector>")
        self.assertCaught("signal/ecg/x.cc", "<vector>", "signal/ecg/ may include only")

    def test_signal_ecg_including_opencv_is_caught(self):
        self.plant("signal/ecg/x.h", "<cmath>", "<opencv2/core.hpp>")
        self.assertCaught("signal/ecg/x.h", "<opencv2/core.hpp>", "signal/ecg/ may include only")

    def test_monitor_including_the_evaluator_is_caught(self):
        self.plant("apps/ecg_monitor/x.cc", '"host/error.h"', '"apps/ecg_evaluation/ecg_evaluation.h"')
        self.assertCaught("apps/ecg_monitor/x.cc", '"apps/ecg_evaluation/ecg_evaluation.h"',
                          'apps/ecg_monitor/ never includes "apps/ecg_evaluation/')

    def test_front_end_follows_its_own_deeper_rule(self):
        self.plant("apps/ecg_monitor/commands/x.cc", '"host/error.h"', '"apps/ecg_evaluation/ecg_evaluation.h"')
        self.assertClean()

    def test_an_area_including_the_command_table_is_caught(self):
        self.plant("regulatory/trace/x.cc", '"host/error.h"', '"apps/vigil/commands.h"')
        self.assertCaught("regulatory/trace/x.cc", '"apps/vigil/commands.h"', 'regulatory/ never includes "apps/')

    def test_tests_are_exempt(self):
        self.plant("runtime/core/x_test.cc", '"host/aligned_buffer.h"', '"testing/golden/golden_models.h"')
        self.plant("apps/ecg_monitor/x_test.cc", '"apps/ecg_evaluation/synthetic_ecg.h"')
        self.assertClean()

    def test_a_rule_for_a_missing_folder_is_an_error(self):
        shutil.rmtree(os.path.join(self.root, "apps/ecg_evaluation"))
        code, lines = check_includes.check(self.root)
        self.assertEqual(code, 2, lines)
        self.assertIn("apps/ecg_evaluation/: no such folder", lines[0])

    def test_missing_rules_block_is_an_error(self):
        with open(os.path.join(self.root, check_includes.RULES_FILE), "w", encoding="utf-8") as f:
            f.write("# Architecture\n")
        code, lines = check_includes.check(self.root)
        self.assertEqual(code, 2, lines)


if __name__ == "__main__":
    SOURCE_DIR = sys.argv.pop(1)
    unittest.main()
