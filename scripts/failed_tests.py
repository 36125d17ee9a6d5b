#!/usr/bin/env python3
"""Prints each test of a ctest JUnit report that failed or did not run, with the first lines
that say why.

Usage: failed_tests.py <build dir>, after `ctest --output-junit junit.xml` there (ctest writes
the report to <build dir>/junit.xml). scripts/test.sh repeats these lines beside its summary.
ctest counts a test it could not run (a missing executable, a failed fixture) as a failure,
so those are printed too. A report that cannot be parsed falls back to ctest's own list of
failed tests (Testing/Temporary/LastTestsFailed.log), so a failed suite never ends without
naming what failed.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

WHY = re.compile(r"Failure|error|Expected|Which is|Value of|Actual|Timeout|Exception|Sanitizer|Not Run|Could not")
# Characters XML 1.0 does not allow; a test's output may hold them (terminal escapes).
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def report(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        root = ET.fromstring(NOT_XML.sub("?", f.read()))
    for case in root.iter("testcase"):
        status = case.get("status")
        if status in ("run", "disabled") and case.find("failure") is None:
            continue
        skipped = case.find("skipped")
        if skipped is not None and (skipped.get("message") or "").startswith("SKIP_"):
            continue  # skipped by the test itself (GTEST_SKIP), which is not a failure
        label = "" if status in ("fail", "failed") else f", {status}"
        if skipped is not None and skipped.get("message"):
            label += f": {skipped.get('message')}"
        print(f"{case.get('name')} ({float(case.get('time') or 0):.1f} s{label})")
        out = case.findtext("system-out") or ""
        shown = 0
        for line in out.splitlines():
            if WHY.search(line) and shown < 12:
                print("      " + line.strip()[:200])
                shown += 1


def fallback(build_dir):
    failed = os.path.join(build_dir, "Testing", "Temporary", "LastTestsFailed.log")
    try:
        with open(failed, encoding="utf-8", errors="replace") as f:
            for line in f:
                print(line.strip().partition(":")[2] or line.strip())
    except OSError:
        print(f"(no {failed} either)")


junit = os.path.join(sys.argv[1], "junit.xml")
try:
    report(junit)
except (OSError, ET.ParseError) as e:
    print(f"(the test report {junit} could not be read: {e})")
    fallback(sys.argv[1])
